import type { ManifestPayload } from "@gatecast/playlists";
import { useComputed } from "@preact/signals";
import { useRef } from "preact/hooks";
import { identify, now } from "../app/state.ts";
import type { PairingView } from "../sync/pairing.ts";
import { hhmm } from "./labels.ts";
import { screenCap, useFit } from "./use-fit.ts";

/** Before pairing: the code, large, and what the screen is waiting for, in both languages. */
export function Pairing({ view }: { view: PairingView }) {
  const code = view.kind === "code" ? view.code : "";
  return (
    <main class="system-screen pairing">
      <div class="brand">gatecast</div>
      <div class="pair-status">
        <p class="pair-vi" lang="vi">
          Đang chờ ghép nối
        </p>
        <p class="pair-zh" lang="zh-Hans">
          等待配对
        </p>
        <p class="pair-en" lang="en">
          Waiting to be paired
        </p>
      </div>
      <div class={`pair-code${code ? "" : " pending"}`} data-code={code}>
        {code || "······"}
      </div>
      <div class="pair-help">
        <p lang="vi">Nhập mã này trong trang quản trị để ghép nối màn hình.</p>
        <p lang="zh-Hans">请在管理控制台输入此代码以配对屏幕。</p>
        {view.kind === "code" && (
          <p class="pair-expiry">
            <span lang="vi">Mã có hiệu lực đến</span> <span lang="zh-Hans">有效期至</span>{" "}
            {hhmm(view.expiresAt, "Asia/Ho_Chi_Minh")}
          </p>
        )}
      </div>
      {view.offline && (
        <p class="pair-offline">
          <span lang="vi">Không kết nối được máy chủ, đang thử lại…</span>{" "}
          <span lang="zh-Hans">无法连接服务器，正在重试…</span>
        </p>
      )}
    </main>
  );
}

/** Paired, no manifest on screen yet: who the screen is and how far the first download has got. */
export function Waiting({
  screenId,
  media,
  pending,
}: {
  screenId: string;
  media: { ready: number; total: number };
  pending: number | null;
}) {
  return (
    <main class="system-screen waiting">
      <div class="brand">gatecast</div>
      <div class="pair-status">
        <p class="pair-vi" lang="vi">
          {pending === null ? "Đang chờ nội dung" : "Đang tải nội dung"}
        </p>
        <p class="pair-zh" lang="zh-Hans">
          {pending === null ? "等待内容" : "正在下载内容"}
        </p>
      </div>
      {pending !== null && media.total > 0 && (
        <>
          <div class="download">
            <div class="download-bar" style={{ transform: `scaleX(${media.ready / media.total})` }} />
          </div>
          <p class="download-count">
            {media.ready}/{media.total}
          </p>
        </>
      )}
      <p class="screen-id">{screenId}</p>
    </main>
  );
}

/** Nothing is scheduled right now: the gate's welcome, never a black screen. */
export function Idle({ manifest }: { manifest: ManifestPayload }) {
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useFit(box, content, [manifest.gate.name], { max: () => screenCap(0.09) });
  return (
    <div class="idle">
      <div class="fit-box" ref={box}>
        <div class="fit-content idle-content" ref={content}>
          <p lang="vi" class="idle-welcome">
            Chào mừng quý khách
          </p>
          <p lang="zh-Hans" class="idle-welcome">
            欢迎光临
          </p>
          <p lang="vi" class="idle-gate">
            {manifest.gate.name.vi}
          </p>
          <p lang="zh-Hans" class="idle-gate">
            {manifest.gate.name.zh}
          </p>
        </div>
      </div>
    </div>
  );
}

/** `identify`: the screen's id and gate, full screen, for ten seconds. */
export function Identify({ screenId, manifest }: { screenId: string; manifest: ManifestPayload | null }) {
  const visible = useComputed(() => {
    const i = identify.value;
    return i !== null && now.value < i.until;
  });
  if (!visible.value) return null;
  return (
    <div class="identify" role="dialog" aria-label="identify">
      <p class="identify-id">{screenId}</p>
      {manifest && <p class="identify-name">{manifest.screen.name}</p>}
      {manifest && (
        <p class="identify-gate">
          <span lang="vi">{manifest.gate.name.vi}</span>
          <span lang="zh-Hans">{manifest.gate.name.zh}</span>
        </p>
      )}
    </div>
  );
}

/** Served over plain http from another machine: no service worker, no WebCrypto. Say so, plainly. */
export function Insecure({ origin }: { origin: string }) {
  return (
    <main class="system-screen insecure" role="alert">
      <h1 lang="vi">Màn hình không thể khởi động</h1>
      <h1 lang="zh-Hans">屏幕无法启动</h1>
      <p lang="vi">
        Trang này phải được mở qua HTTPS hoặc từ localhost (ngữ cảnh bảo mật). Nếu không, màn hình không thể chạy ngoại
        tuyến và không thể kiểm tra chữ ký của nội dung.
      </p>
      <p lang="zh-Hans">
        本页面必须通过 HTTPS 或 localhost（安全上下文）打开。否则屏幕无法离线运行，也无法验证内容签名。
      </p>
      <p lang="en">
        This kiosk must be served over HTTPS or from localhost (a secure context): without it there is no offline mode
        and no signature check. Serve the controller over TLS, or start Chromium with
        --unsafely-treat-insecure-origin-as-secure={origin}
      </p>
      <code class="origin">{origin}</code>
    </main>
  );
}

export function Boot() {
  return (
    <main class="system-screen boot">
      <div class="brand">gatecast</div>
    </main>
  );
}
