/**
 * `GET /api/v1/{tenant}/annotations` against a real server: the room's
 * chats and comments come back as a W3C Web Annotation collection.
 */

import assert from "node:assert/strict";
import { createSession, startServer } from "./_server.ts";
import { apiClient } from "./_api.ts";
import type { AnnotationCollection } from "../utils/annotations.ts";

Deno.test("REST API: W3C Web Annotation export", async (t) => {
  const server = await startServer();
  const { api } = apiClient(server);
  try {
    const ada = await createSession(server.url, "demo", "Ada");
    const room = "https://example.com/essay";
    const anchor = {
      quote: "the margin",
      prefix: "written in ",
      suffix: " of a book",
      start: 11,
      end: 21,
    };
    const text = await api("POST", "demo/text-chats", {
      urlId: room,
      anchor,
      text: "Which margin?",
      broadcastId: "b1",
    }, ada.token);
    assert.equal(text.status, 201);
    const reply = await api(
      "POST",
      `demo/chats/${text.body.chat.id}/comments`,
      { text: "The outer one.", parentId: null, broadcastId: "b2" },
      ada.token,
    );
    assert.equal(reply.status, 201);
    const image = await api("POST", "demo/image-chats", {
      urlId: room,
      src: "https://example.com/figure.png",
      x: 50,
      y: 50,
      text: "Nice figure",
      broadcastId: "b3",
    }, ada.token);
    assert.equal(image.status, 201);

    await t.step("exports the room as JSON-LD", async () => {
      const url = `${server.url}/api/v1/demo/annotations?urlId=${
        encodeURIComponent(room)
      }`;
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(
        res.headers.get("content-type"),
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
      );
      const collection: AnnotationCollection = await res.json();
      assert.equal(collection.type, "AnnotationCollection");
      assert.equal(collection.id, url);
      assert.equal(collection.total, 3);
      const [chat, answer, figure] = collection.first.items;
      assert.equal(chat.body?.value, "Which margin?");
      assert.deepEqual(chat.target, {
        source: room,
        selector: [
          {
            type: "TextQuoteSelector",
            exact: anchor.quote,
            prefix: anchor.prefix,
            suffix: anchor.suffix,
          },
          { type: "TextPositionSelector", start: 11, end: 21 },
        ],
      });
      assert.equal(answer.motivation, "replying");
      assert.equal(answer.target, chat.id);
      assert.equal(figure.body?.value, "Nice figure");
      assert.deepEqual(figure.target, {
        source: "https://example.com/figure.png",
        selector: {
          type: "FragmentSelector",
          conformsTo: "http://www.w3.org/TR/media-frags/",
          value: "xywh=percent:47.5,47.5,5,5",
        },
      });
    });

    await t.step("a room named by an id, with an image path", async () => {
      // As the demo page stores markers: a plain id and a path on Tack.
      const created = await api("POST", "demo/image-chats", {
        urlId: "demo-image",
        src: "/sample-image.svg",
        x: 10,
        y: 20,
        text: "The cabin",
        broadcastId: "b4",
      }, ada.token);
      assert.equal(created.status, 201);
      const res = await api("GET", "demo/annotations?urlId=demo-image");
      assert.equal(res.status, 200);
      assert.equal(res.body.total, 1);
      assert.equal(
        res.body.first.items[0].target.source,
        `${server.url}/sample-image.svg`,
      );
    });

    await t.step("an empty room exports an empty collection", async () => {
      const res = await api("GET", "demo/annotations?urlId=nothing-here");
      assert.equal(res.status, 200);
      assert.equal(res.body.total, 0);
    });

    await t.step("refuses a missing urlId and an unknown tenant", async () => {
      const missing = await api("GET", "demo/annotations");
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.field, "urlId");
      const unknown = await api("GET", "no-such-tenant/annotations?urlId=a");
      assert.equal(unknown.status, 404);
    });
  } finally {
    await server.stop();
  }
});
