import type { Alert } from "@gatecast/playlists";

/** An urgent notice's text in each of its languages, each marked with its language. */
export function AlertMessage({ message }: { message: Alert["message"] }) {
  return (
    <div class="alert-card-msg">
      <p lang="vi">{message.vi}</p>
      <p lang="zh-CN">{message.zh}</p>
      {message.en ? <p lang="en">{message.en}</p> : null}
    </div>
  );
}
