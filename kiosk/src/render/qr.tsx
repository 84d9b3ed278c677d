import { useMemo } from "preact/hooks";
import { encode } from "uqr";

/** A QR code generated on the device (works offline), drawn as one SVG path. */
export function QrSvg({ text, class: cls }: { text: string; class?: string }) {
  const { size, path } = useMemo(() => {
    const qr = encode(text, { ecc: "M", border: 2 });
    let d = "";
    qr.data.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) d += `M${x} ${y}h1v1h-1z`;
      });
    });
    return { size: qr.size, path: d };
  }, [text]);
  return (
    <svg
      class={cls}
      viewBox={`0 0 ${size} ${size}`}
      shape-rendering="crispEdges"
      role="img"
      aria-label={text}
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

/** The QR code of an item's link with a bilingual "scan me". */
export function LinkQr({ url }: { url: string }) {
  return (
    <figure class="qr">
      <QrSvg text={url} class="qr-code" />
      <figcaption class="qr-label">
        <span lang="vi">Quét mã để xem thêm</span>
        <span lang="zh-Hans">扫码了解更多</span>
      </figcaption>
    </figure>
  );
}
