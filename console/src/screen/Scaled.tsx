import type { ComponentChildren } from "preact";
import { useWidth } from "../lib/hooks.ts";
import { type Orientation, SCREEN_SIZE } from "./layout.ts";

interface Props {
  orientation: Orientation;
  /** The screen's pixels (default: full HD in its orientation). */
  size?: { width: number; height: number };
  /** Largest height the preview may take on the page, in CSS pixels. */
  maxHeight: number;
  label: string;
  children: ComponentChildren;
}

/** Draws a native-size screen scaled down to fit its column (and `maxHeight`), keeping its proportions. */
export function Scaled({ orientation, size: given, maxHeight, label, children }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const size = given ?? SCREEN_SIZE[orientation];
  const scale = width > 0 ? Math.min(width / size.width, maxHeight / size.height) : 0;
  return (
    <div class="scaled-host" ref={ref}>
      <figure
        class="scaled"
        role="img"
        aria-label={label}
        data-testid="screen-preview"
        style={{ width: `${size.width * scale}px`, height: `${size.height * scale}px` }}
      >
        <div class="scaled-inner" style={{ transform: `scale(${scale})` }}>
          {scale > 0 ? children : null}
        </div>
      </figure>
    </div>
  );
}
