/**
 * Browser side of islands: finds the server's island markers, rebuilds each
 * island's props (signals revived as shared signals) and JSX children (from
 * the server-rendered slot HTML, with nested islands inside), and hydrates
 * every top-level island in place. Bundled as `main.js`.
 *
 * @module
 */
import {
  type ComponentChildren,
  type ComponentType,
  h,
  hydrate,
  type VNode,
} from "preact";
import { signal } from "@preact/signals";
import { deserialize } from "./deserialize.ts";
import { setBuildId } from "./asset.ts";

type Registry = Record<string, ComponentType>;
type Props = Record<string, unknown>;

interface WalkState {
  registry: Registry;
  props: Props[];
  /** The island whose DOM we are in; its slots fill its children. */
  island: VNode<Props> | null;
  /** Where DOM becomes vnodes (inside a slot), or `null` outside slots. */
  collect: ComponentChildren[] | null;
}

const ISLAND_START = /^frsh-([^:]+):(\d+):(.*)$/;
const SLOT_START = /^frsh-slot-[^:]+:\d+:children$/;

/**
 * Hydrates every island on the page. Called by the page's boot script with
 * the island components by id; the build id comes from the script's URL.
 */
export function revive(registry: Registry): void {
  const buildId = new URL(import.meta.url).pathname.split("/").at(-2);
  if (buildId) setBuildId(buildId);
  const stateText = document.getElementById("__FRSH_STATE")?.textContent;
  const props = stateText ? deserialize(stateText, signal) as Props[] : [];
  walk(document.body, { registry, props, island: null, collect: null });
}

/** Finds the comment that closes `start` among its following siblings. */
function findEnd(start: Comment): Comment {
  const endText = `/${start.data}`;
  for (let node = start.nextSibling; node; node = node.nextSibling) {
    if (
      node.nodeType === Node.COMMENT_NODE && (node as Comment).data === endText
    ) {
      return node as Comment;
    }
  }
  throw new Error(`Missing end marker for <!--${start.data}-->`);
}

function walk(
  parent: Node,
  state: WalkState,
  from: Node | null = parent.firstChild,
  to: Node | null = null,
) {
  for (let node = from; node !== null && node !== to; node = node.nextSibling) {
    if (node.nodeType === Node.COMMENT_NODE) {
      const text = (node as Comment).data;
      if (SLOT_START.test(text)) {
        node = slot(parent, node as Comment, state);
      } else if (ISLAND_START.test(text)) {
        node = island(parent, node as Comment, state);
      }
    } else if (node.nodeType === Node.TEXT_NODE) {
      state.collect?.push((node as Text).data);
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      if (state.collect === null) {
        walk(node, state);
      } else {
        state.collect.push(elementToVNode(node as Element, state));
      }
    }
  }
}

/** Revives one island; returns its end marker so the walk continues after it. */
function island(parent: Node, start: Comment, state: WalkState): Node {
  const [, id, index, key] = start.data.match(ISLAND_START)!;
  const end = findEnd(start);
  const component = state.registry[id];
  if (!component) throw new Error(`Island "${id}" is not loaded.`);
  const vnode = h(component, { ...state.props[Number(index)] }) as VNode<Props>;
  if (key) vnode.key = key;
  walk(
    parent,
    { ...state, island: vnode, collect: null },
    start.nextSibling,
    end,
  );
  if (state.collect !== null) {
    // Inside another island's slot: hydrated as part of that island.
    state.collect.push(vnode);
  } else {
    hydrate(vnode, rootFragment(parent, start, end));
  }
  return end;
}

/** Turns a slot's server HTML into the owning island's `children`. */
function slot(parent: Node, start: Comment, state: WalkState): Node {
  const end = findEnd(start);
  const children: ComponentChildren[] = [];
  walk(parent, { ...state, collect: children }, start.nextSibling, end);
  if (state.island) state.island.props.children = children;
  return end;
}

function elementToVNode(element: Element, state: WalkState): VNode {
  const props: Props = {};
  for (const { name, value } of Array.from(element.attributes)) {
    // Boolean attributes are true whenever present.
    props[name] = typeof (element as unknown as Props)[name] === "boolean"
      ? true
      : value;
  }
  const children: ComponentChildren[] = [];
  walk(element, { ...state, collect: children });
  return h(element.localName, props, ...children) as VNode;
}

/**
 * A stand-in parent for preact covering only the nodes between two markers,
 * so several islands can share one DOM parent.
 */
function rootFragment(parent: Node, start: Node, end: Node): Element {
  const fragment = {
    nodeType: 1,
    parentNode: parent,
    namespaceURI: (parent as Element).namespaceURI,
    get firstChild() {
      return start.nextSibling === end ? null : start.nextSibling;
    },
    get childNodes() {
      const nodes: Node[] = [];
      for (let n = start.nextSibling; n && n !== end; n = n.nextSibling) {
        nodes.push(n);
      }
      return nodes;
    },
    insertBefore: (node: Node, before: Node | null) =>
      parent.insertBefore(node, before ?? end),
    appendChild: (node: Node) => parent.insertBefore(node, end),
    removeChild: (node: Node) => parent.removeChild(node),
  };
  return fragment as unknown as Element;
}
