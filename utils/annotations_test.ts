import assert from "node:assert/strict";
import {
  type Annotation,
  ANNOTATION_CONTEXT,
  documentUrlOf,
  toAnnotationCollection,
} from "./annotations.ts";
import type { Comment, ImageChat, TextChat } from "./protocol.ts";

const ada = { id: "u-ada", name: "Ada" };
const bob = { id: "u-bob", name: "Bob" };
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const ORIGIN = "https://tack.example";
const COLLECTION = `${ORIGIN}/api/v1/demo/annotations?urlId=doc`;

const textChat: TextChat = {
  id: "c-text",
  urlId: "doc",
  anchor: {
    quote: "the margin",
    prefix: "written in ",
    suffix: " of a book",
    start: 120,
    end: 130,
  },
  commentCount: 3,
  createdAt: T0,
  createdBy: ada,
};

const imageChat: ImageChat = {
  id: "c-image",
  urlId: "doc",
  src: "/sample-image.svg",
  x: 40,
  y: 98.5,
  commentCount: 1,
  createdAt: T0 + 60_000,
  createdBy: bob,
};

function comment(
  id: string,
  chatId: string,
  author: typeof ada,
  minutes: number,
  parentId: string | null = null,
): Comment {
  return {
    id,
    chatId,
    parentId,
    text: `Comment ${id}`,
    author,
    createdAt: T0 + minutes * 60_000,
    editedAt: null,
  };
}

const comments = new Map([
  ["c-text", [
    comment("m1", "c-text", ada, 0),
    { ...comment("m2", "c-text", bob, 1), editedAt: T0 + 5 * 60_000 },
    comment("m3", "c-text", ada, 2, "m2"),
  ]],
  ["c-image", [comment("m4", "c-image", bob, 1)]],
]);

const collection = toAnnotationCollection({
  id: COLLECTION,
  urlId: "doc",
  documentUrl: "https://example.com/doc",
  origin: ORIGIN,
  // Newest first, to check the export orders by creation.
  chats: [imageChat, textChat],
  comments,
});

const isIri = (value: unknown) =>
  typeof value === "string" && URL.canParse(value);
const isDateTime = (value: unknown) =>
  typeof value === "string" &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value);

/** Every MUST of the Web Annotation Data Model for what the export uses. */
function assertWebAnnotation(a: Annotation, ids: Set<string>) {
  assert.ok(isIri(a.id), `id ${a.id}`);
  assert.equal(a.type, "Annotation");
  assert.ok(["commenting", "replying"].includes(a.motivation));
  assert.ok(isDateTime(a.created));
  if (a.modified !== undefined) assert.ok(isDateTime(a.modified));
  assert.ok(isIri(a.creator.id));
  assert.equal(a.creator.type, "Person");
  assert.equal(typeof a.creator.name, "string");
  if (a.body) {
    assert.equal(a.body.type, "TextualBody");
    assert.equal(typeof a.body.value, "string");
    assert.equal(a.body.format, "text/plain");
  }
  if (typeof a.target === "string") {
    assert.equal(a.motivation, "replying");
    assert.ok(ids.has(a.target), "a reply targets an exported annotation");
    return;
  }
  assert.ok(isIri(a.target.source));
  const selectors = [a.target.selector].flat();
  assert.ok(selectors.length > 0);
  for (const selector of selectors) {
    switch (selector.type) {
      case "TextQuoteSelector":
        assert.ok(selector.exact.length > 0);
        assert.equal(typeof selector.prefix, "string");
        assert.equal(typeof selector.suffix, "string");
        break;
      case "TextPositionSelector":
        assert.ok(Number.isInteger(selector.start) && selector.start >= 0);
        assert.ok(Number.isInteger(selector.end));
        assert.ok(selector.end > selector.start);
        break;
      case "FragmentSelector":
        assert.equal(selector.conformsTo, "http://www.w3.org/TR/media-frags/");
        assert.match(
          selector.value,
          /^xywh=percent:[\d.]+,[\d.]+,[\d.]+,[\d.]+$/,
        );
        break;
      default:
        assert.fail(`unexpected selector ${JSON.stringify(selector)}`);
    }
  }
}

Deno.test("the collection has the fields the model requires", () => {
  assert.equal(collection["@context"], ANNOTATION_CONTEXT);
  assert.equal(collection.id, COLLECTION);
  assert.equal(collection.type, "AnnotationCollection");
  assert.equal(collection.total, 4);
  const page = collection.first;
  assert.ok(isIri(page.id));
  assert.equal(page.type, "AnnotationPage");
  assert.equal(page.partOf, COLLECTION);
  assert.equal(page.startIndex, 0);
  assert.equal(page.items.length, collection.total);
  const ids = new Set(page.items.map((a) => a.id));
  assert.equal(ids.size, page.items.length, "ids are unique");
  for (const annotation of page.items) assertWebAnnotation(annotation, ids);
});

Deno.test("a text chat: first comment as body, quote and position selectors", () => {
  const [chat] = collection.first.items;
  assert.deepEqual(chat, {
    id: `${COLLECTION}#chat-c-text`,
    type: "Annotation",
    motivation: "commenting",
    created: "2024-05-01T12:00:00.000Z",
    creator: { id: `${COLLECTION}#user-u-ada`, type: "Person", name: "Ada" },
    body: { type: "TextualBody", value: "Comment m1", format: "text/plain" },
    target: {
      source: "https://example.com/doc",
      selector: [
        {
          type: "TextQuoteSelector",
          exact: "the margin",
          prefix: "written in ",
          suffix: " of a book",
        },
        { type: "TextPositionSelector", start: 120, end: 130 },
      ],
    },
  });
});

Deno.test("later comments are replies targeting their chat", () => {
  const [chat, second, third] = collection.first.items;
  for (const reply of [second, third]) {
    assert.equal(reply.motivation, "replying");
    assert.equal(reply.target, chat.id);
  }
  assert.equal(second.body?.value, "Comment m2");
  assert.equal(second.creator.name, "Bob");
  assert.equal(second.modified, "2024-05-01T12:05:00.000Z");
  assert.equal(third.modified, undefined);
});

Deno.test("an image chat: a media-fragment square around the marker", () => {
  const image = collection.first.items[3];
  assert.equal(image.motivation, "commenting");
  assert.deepEqual(image.target, {
    // A path is one on Tack, where the page that stored it was served.
    source: "https://tack.example/sample-image.svg",
    selector: {
      type: "FragmentSelector",
      conformsTo: "http://www.w3.org/TR/media-frags/",
      // The square stays inside the image at its bottom edge.
      value: "xywh=percent:37.5,96,5,4",
    },
  });
});

Deno.test("image sources: paths on Tack, absolute URLs kept, any room id", () => {
  const sourceOf = (src: string, documentUrl: string) => {
    const [annotation] = toAnnotationCollection({
      id: COLLECTION,
      urlId: "demo-image",
      documentUrl,
      origin: ORIGIN,
      chats: [{ ...imageChat, src }],
      comments: new Map([["c-image", [comment("m4", "c-image", bob, 1)]]]),
    }).first.items;
    return (annotation.target as { source: string }).source;
  };
  // A room named by a plain id has a URN, which nothing resolves against.
  const urn = documentUrlOf("demo", "demo-image", ORIGIN);
  assert.equal(
    sourceOf("/sample-image.svg", urn),
    "https://tack.example/sample-image.svg",
  );
  assert.equal(
    sourceOf("https://cdn.example/a.png", urn),
    "https://cdn.example/a.png",
  );
  // No URL at all: the room is what names the image.
  assert.equal(sourceOf("", urn), urn);
  assert.equal(sourceOf("//[", urn), urn);
});

Deno.test("an empty room exports an empty page", () => {
  const empty = toAnnotationCollection({
    id: COLLECTION,
    urlId: "doc",
    documentUrl: "https://example.com/doc",
    origin: ORIGIN,
    chats: [],
    comments: new Map(),
  });
  assert.equal(empty.total, 0);
  assert.deepEqual(empty.first.items, []);
});

Deno.test("documentUrlOf: URLs and paths as they are, other ids as URNs", () => {
  const origin = "https://tack.example";
  assert.equal(
    documentUrlOf("demo", "https://example.com/a?b=1", origin),
    "https://example.com/a?b=1",
  );
  assert.equal(
    documentUrlOf("demo", "/docs/a.html", origin),
    "https://tack.example/docs/a.html",
  );
  assert.equal(
    documentUrlOf("demo", "chapter 1", origin),
    "urn:tack:demo:chapter%201",
  );
  assert.ok(URL.canParse(documentUrlOf("demo", "chapter 1", origin)));
  // A path no URL parser accepts is an id like any other.
  assert.equal(documentUrlOf("demo", "//", origin), "urn:tack:demo:%2F%2F");
});
