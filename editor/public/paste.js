// Paste-one-file mode: one file, validated as it is typed, with its whole state in the URL
// fragment (`#paste=` + the path and text, deflated and base64url-encoded), so the address is a
// link to share. Nothing is sent anywhere: a fragment never leaves the browser.
import { deflateSync, inflateSync, strToU8, strFromU8 } from "fflate";

const PREFIX = "#paste=";

const toBase64Url = (bytes) => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** The fragment that holds `path` and `text`. */
export function encodePaste(path, text) {
  return PREFIX + toBase64Url(deflateSync(strToU8(JSON.stringify({ path, text })), { level: 9 }));
}

/** `{ path, text }` from a location hash, or null when it holds none (or a damaged one). */
export function decodePaste(hash) {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const { path, text } = JSON.parse(strFromU8(inflateSync(fromBase64Url(hash.slice(PREFIX.length)))));
    return typeof path === "string" && typeof text === "string" ? { path, text } : null;
  } catch {
    return null;
  }
}
