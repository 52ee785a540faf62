// send.js delivers CloudEvents to a sink with the CloudEvents JavaScript SDK
// (npm package "cloudevents"): an implementation independent of camarahooks
// and of sdk-go, for bench/anchors' TestJavaScriptSDKSender.
//
//   node send.js SINK_URL < events.json
//
// stdin is a JSON array of {"id", "type", "source", "time", "data", "mode"}
// ("structured" or "binary"); the token is read from the environment
// (SINK_TOKEN), never from argv. Each event is serialized by the SDK's
// HTTP binding and POSTed with fetch; one line per event, "<id> <status>",
// goes to stdout. The exit status is 1 if any request failed.
"use strict";

const { CloudEvent, HTTP } = require("cloudevents");

async function main() {
  const sink = process.argv[2];
  const token = process.env.SINK_TOKEN;
  if (!sink || !token) {
    console.error("usage: SINK_TOKEN=... node send.js SINK_URL < events.json");
    process.exit(2);
  }
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const specs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  let failed = false;
  for (const spec of specs) {
    const ce = new CloudEvent({
      id: spec.id,
      type: spec.type,
      source: spec.source,
      time: spec.time,
      datacontenttype: "application/json",
      data: spec.data,
    });
    const message = spec.mode === "binary" ? HTTP.binary(ce) : HTTP.structured(ce);
    const headers = { ...message.headers, Authorization: "Bearer " + token };
    try {
      const resp = await fetch(sink, { method: "POST", headers, body: message.body });
      await resp.arrayBuffer();
      console.log(spec.id + " " + resp.status);
      if (resp.status < 200 || resp.status > 299) failed = true;
    } catch (err) {
      console.log(spec.id + " error " + err.message);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
