/**
 * Export of a room's discussions as a W3C Web Annotation collection
 * (JSON-LD, https://www.w3.org/TR/annotation-model/), so that they can move
 * to and from other annotation tools. Each chat becomes a commenting
 * annotation whose body is its first comment; later comments become replying
 * annotations that target it.
 *
 * @module
 */

import { getRoomSnapshot } from "./db.ts";
import { listComments } from "./db_chats.ts";
import { type Chat, type Comment, isImageChat, type User } from "./protocol.ts";
import { ApiError } from "./validation.ts";

/** The JSON-LD context of the Web Annotation model. */
export const ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld";

/** The media type of an export response. */
export const ANNOTATION_MEDIA_TYPE =
  `application/ld+json; profile="${ANNOTATION_CONTEXT}"`;

/** Who wrote an annotation. */
export interface Agent {
  id: string;
  type: "Person";
  name: string;
}

/** A comment's text. */
export interface TextualBody {
  type: "TextualBody";
  value: string;
  format: "text/plain";
}

/** Where a text chat sits: the quote and its context. */
export interface TextQuoteSelector {
  type: "TextQuoteSelector";
  exact: string;
  prefix: string;
  suffix: string;
}

/** Where a text chat sits: offsets into the document's text. */
export interface TextPositionSelector {
  type: "TextPositionSelector";
  start: number;
  end: number;
}

/** Where an image chat sits: a media fragment (`xywh=percent:…`). */
export interface FragmentSelector {
  type: "FragmentSelector";
  conformsTo: "http://www.w3.org/TR/media-frags/";
  value: string;
}

/** A part of a document or image. */
export interface SpecificResource {
  source: string;
  selector:
    | [TextQuoteSelector, TextPositionSelector]
    | FragmentSelector;
}

/** One chat, or one reply in a chat. */
export interface Annotation {
  id: string;
  type: "Annotation";
  motivation: "commenting" | "replying";
  created: string;
  modified?: string;
  creator: Agent;
  body?: TextualBody;
  /** A part of the document for a chat; the chat's id for a reply. */
  target: SpecificResource | string;
}

/** The single page of an export. */
export interface AnnotationPage {
  id: string;
  type: "AnnotationPage";
  partOf: string;
  startIndex: 0;
  items: Annotation[];
}

/** A room's export. */
export interface AnnotationCollection {
  "@context": typeof ANNOTATION_CONTEXT;
  id: string;
  type: "AnnotationCollection";
  label: string;
  total: number;
  first: AnnotationPage;
}

/** What an export is made of. */
export interface RoomAnnotations {
  /** The collection's IRI: the URL it is served at. */
  id: string;
  urlId: string;
  /** IRI of the annotated document, the target of text chats. */
  documentUrl: string;
  /**
   * Tack's origin. Image chats store the `src` their page had, often a path
   * on Tack (`/sample-image.svg`), so relative ones resolve against it.
   */
  origin: string;
  chats: readonly Chat[];
  /** Each chat's comments, oldest first. */
  comments: ReadonlyMap<string, readonly Comment[]>;
}

// Image chats mark a point; the fragment is the square of this many percent
// of the image's width and height around it (a marker's default size).
const IMAGE_FRAGMENT_PERCENT = 5;

const iso = (ms: number) => new Date(ms).toISOString();

function agent(collectionId: string, user: User): Agent {
  return {
    id: `${collectionId}#user-${encodeURIComponent(user.id)}`,
    type: "Person",
    name: user.name,
  };
}

function body(comment: Comment): TextualBody {
  return { type: "TextualBody", value: comment.text, format: "text/plain" };
}

/**
 * The IRI of a chat's image: `src` resolved against Tack's origin, or the
 * room's document when `src` is empty or no URL at all (the API stores any
 * single line), since the room then is what names the image.
 */
function imageSource(src: string, room: RoomAnnotations): string {
  if (src === "" || !URL.canParse(src, room.origin)) return room.documentUrl;
  return new URL(src, room.origin).href;
}

function target(chat: Chat, room: RoomAnnotations): SpecificResource {
  if (isImageChat(chat)) {
    const half = IMAGE_FRAGMENT_PERCENT / 2;
    const x = Math.max(0, chat.x - half);
    const y = Math.max(0, chat.y - half);
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      source: imageSource(chat.src, room),
      selector: {
        type: "FragmentSelector",
        conformsTo: "http://www.w3.org/TR/media-frags/",
        value: `xywh=percent:${round(x)},${round(y)},${
          round(Math.min(IMAGE_FRAGMENT_PERCENT, 100 - x))
        },${round(Math.min(IMAGE_FRAGMENT_PERCENT, 100 - y))}`,
      },
    };
  }
  const { quote, prefix, suffix, start, end } = chat.anchor;
  return {
    source: room.documentUrl,
    selector: [
      { type: "TextQuoteSelector", exact: quote, prefix, suffix },
      { type: "TextPositionSelector", start, end },
    ],
  };
}

/**
 * The room's chats as a Web Annotation collection with one embedded page:
 * per chat, a `commenting` annotation (its first comment as the body), then a
 * `replying` annotation per later comment, oldest chats first.
 *
 * @example
 * ```ts
 * const collection = toAnnotationCollection({
 *   id: "https://tack.example/api/v1/demo/annotations?urlId=doc",
 *   urlId: "doc",
 *   documentUrl: "https://example.com/doc",
 *   origin: "https://tack.example",
 *   chats,
 *   comments: new Map([[chats[0].id, comments]]),
 * });
 * collection.first.items[0].motivation; // "commenting"
 * ```
 */
export function toAnnotationCollection(
  room: RoomAnnotations,
): AnnotationCollection {
  const items: Annotation[] = [];
  const chats = [...room.chats].sort((a, b) =>
    a.createdAt - b.createdAt || a.id.localeCompare(b.id)
  );
  for (const chat of chats) {
    const chatId = `${room.id}#chat-${encodeURIComponent(chat.id)}`;
    const [first, ...replies] = room.comments.get(chat.id) ?? [];
    const annotation: Annotation = {
      id: chatId,
      type: "Annotation",
      motivation: "commenting",
      created: iso(chat.createdAt),
      creator: agent(room.id, chat.createdBy),
      target: target(chat, room),
    };
    if (first) annotation.body = body(first);
    if (first?.editedAt) annotation.modified = iso(first.editedAt);
    items.push(annotation);
    for (const reply of replies) {
      const item: Annotation = {
        id: `${room.id}#comment-${encodeURIComponent(reply.id)}`,
        type: "Annotation",
        motivation: "replying",
        created: iso(reply.createdAt),
        creator: agent(room.id, reply.author),
        body: body(reply),
        target: chatId,
      };
      if (reply.editedAt) item.modified = iso(reply.editedAt);
      items.push(item);
    }
  }
  return {
    "@context": ANNOTATION_CONTEXT,
    id: room.id,
    type: "AnnotationCollection",
    label: `Discussions on ${room.urlId}`,
    total: items.length,
    first: {
      id: `${room.id}#page-0`,
      type: "AnnotationPage",
      partOf: room.id,
      startIndex: 0,
      items,
    },
  };
}

/**
 * The IRI of the document a room annotates: `urlId` itself when it is a URL
 * or a path on this server, else a URN naming the room.
 *
 * @example
 * ```ts
 * documentUrlOf("demo", "https://example.com/a", "https://tack.example"); // "https://example.com/a"
 * documentUrlOf("demo", "demo-text", "https://tack.example"); // "urn:tack:demo:demo-text"
 * ```
 */
export function documentUrlOf(
  tenant: string,
  urlId: string,
  origin: string,
): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(urlId) && URL.canParse(urlId)) return urlId;
  if (urlId.startsWith("/") && URL.canParse(urlId, origin)) {
    return new URL(urlId, origin).href;
  }
  return `urn:tack:${encodeURIComponent(tenant)}:${encodeURIComponent(urlId)}`;
}

/**
 * Reads a room's chats and comments from the store and exports them.
 * `exportUrl` is where the collection is served, which becomes its id.
 *
 * @example
 * ```ts
 * const collection = await exportRoomAnnotations("demo", "demo-text",
 *   new URL("https://tack.example/api/v1/demo/annotations?urlId=demo-text"));
 * ```
 */
export async function exportRoomAnnotations(
  tenant: string,
  urlId: string,
  exportUrl: URL,
): Promise<AnnotationCollection> {
  const snapshot = await getRoomSnapshot(tenant, urlId);
  const comments = new Map<string, Comment[]>();
  await Promise.all(snapshot.chats.map(async (chat) => {
    try {
      comments.set(chat.id, await listComments(tenant, chat.id));
    } catch (error) {
      // Deleted since the snapshot was read: leave it out.
      if (!(error instanceof ApiError && error.code === "not_found")) {
        throw error;
      }
    }
  }));
  return toAnnotationCollection({
    id: exportUrl.href,
    urlId,
    documentUrl: documentUrlOf(tenant, urlId, exportUrl.origin),
    origin: exportUrl.origin,
    chats: snapshot.chats.filter((chat) => comments.has(chat.id)),
    comments,
  });
}
