// Drives Linli with Microsoft's botframework-directlinejs, as Web Chat does, and prints what happened as JSON.
// usage: node directline-client.mjs <baseUrl> <websocket|polling>
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
globalThis.XMLHttpRequest = require("xhr2");
globalThis.WebSocket = require("ws");
const { DirectLine } = require("botframework-directlinejs");

const [, , base, mode] = process.argv;
const webSocket = mode !== "polling";
const deadline = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms));
const until = (check, ms = 10000) => Promise.race([
  new Promise((resolve) => { const t = setInterval(() => { const v = check(); if (v) { clearInterval(t); resolve(v); } }, 20); }),
  deadline(ms),
]);
const post = (dl, activity) => new Promise((resolve, reject) => dl.postActivity(activity).subscribe(resolve, reject));

const tokenResponse = await fetch(`${base}/api/chat/token`, {
  method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ locale: "zh-CN" }),
});
const { token, userId } = await tokenResponse.json();

// 1. Start, hear the welcome, post, hear the reply.
const first = new DirectLine({ domain: `${base}/v3/directline`, token, webSocket, pollingInterval: 200 });
const seen = [];
first.activity$.subscribe((a) => seen.push(a), () => {});
const welcome = await until(() => seen.find((a) => a.from.role === "bot"));
const sentAt = Date.now();
const id = await post(first, { type: "message", from: { id: userId }, text: "你好，我想查物业费" });
const reply = await until(() => seen.find((a) => a.replyToId === id));
const roundTripMs = Date.now() - sentAt;
const echo = seen.find((a) => a.id === id);
const conversationId = first.conversationId;
const watermark = first.watermark;
first.end();

// 2. Reconnect to the same conversation from the watermark: nothing old comes again, new turns work.
const second = new DirectLine({ domain: `${base}/v3/directline`, token, conversationId, watermark, webSocket, pollingInterval: 200 });
const seenAgain = [];
second.activity$.subscribe((a) => seenAgain.push(a), () => {});
const id2 = await post(second, { type: "message", from: { id: userId }, text: "报修" });
const reply2 = await until(() => seenAgain.find((a) => a.replyToId === id2));
await new Promise((r) => setTimeout(r, 300));
second.end();

console.log(JSON.stringify({
  mode: webSocket ? "websocket" : "polling",
  conversationId,
  welcome: welcome.text,
  echoed: echo?.text ?? null,
  reply: reply.text,
  watermark,
  reply2: reply2.text,
  replayedAfterReconnect: seenAgain.filter((a) => seen.some((b) => b.id === a.id)).length,
  roundTripMs,
}));
process.exit(0);
