/**
 * Server side of islands: every island element rendered on the server is
 * wrapped in `<!--frsh-<id>:<propsIdx>:<key>-->…<!--/frsh-…-->` markers and
 * its props are recorded for the page's state script. JSX children are
 * wrapped in `frsh-slot-<id>:<propsIdx>:children` markers so the browser can
 * keep them. An island rendered by another island is an ordinary component.
 *
 * @module
 */
import {
  type ComponentChildren,
  type ComponentType,
  createContext,
  Fragment,
  h,
  options,
  type VNode,
} from "preact";

/** One exported component of an island module. */
export interface Island {
  /** `<module name>_<export name>`, lowercase, e.g. `counter_default`. */
  id: string;
  /** The module's name, e.g. `counter`; its bundle is `island-<name>.js`. */
  name: string;
  exportName: string;
  /** File URL of the module. */
  url: string;
  // deno-lint-ignore no-explicit-any
  component: ComponentType<any>;
}

/** What one page render found: islands used and their props, in order. */
export class IslandCollector {
  readonly islands = new Set<Island>();
  readonly props: Record<string, unknown>[] = [];
}

const islandByComponent = new Map<ComponentType, Island>();
const wrapperByIsland = new Map<Island, ComponentType>();
let current: IslandCollector | null = null;

/** `true` while rendering inside an island (but not inside its slot). */
const INSIDE_ISLAND = createContext(false);
const KEY_PROP = "__frshKey";

/** Makes these components render as islands from now on. */
export function registerIslands(islands: Island[]): void {
  for (const island of islands) islandByComponent.set(island.component, island);
}

/**
 * Runs a synchronous render while recording islands into `collector`.
 * Rendering is synchronous, so one module-level slot is enough.
 */
export function collectIslands<T>(
  collector: IslandCollector,
  render: () => T,
): T {
  const previous = current;
  current = collector;
  try {
    return render();
  } finally {
    current = previous;
  }
}

function comment(text: string): VNode {
  // preact-render-to-string prints this Fragment as `<!--text-->`.
  return h(Fragment, { UNSTABLE_comment: text } as Record<string, unknown>);
}

function plain(island: Island, props: Record<string, unknown>): VNode {
  const vnode = h(island.component, props);
  // Creating it went through the hook below, which swapped the type.
  vnode.type = island.component;
  return vnode;
}

function wrapperFor(island: Island): ComponentType {
  let wrapper = wrapperByIsland.get(island);
  if (wrapper) return wrapper;
  function IslandRoot(
    { [KEY_PROP]: key, ...props }: Record<string, unknown>,
    insideIsland: boolean,
  ): ComponentChildren {
    if (current === null || insideIsland) return plain(island, props);
    const index = current.props.length;
    const { children, ...serializable } = props;
    current.islands.add(island);
    current.props.push(serializable);
    if (children !== undefined) {
      const slot = `frsh-slot-${island.id}:${index}:children`;
      props.children = h(
        INSIDE_ISLAND.Provider,
        { value: false },
        comment(slot),
        children as ComponentChildren,
        comment(`/${slot}`),
      );
    }
    const marker = `frsh-${island.id}:${index}:${key ?? ""}`;
    return [
      comment(marker),
      h(INSIDE_ISLAND.Provider, { value: true }, plain(island, props)),
      comment(`/${marker}`),
    ];
  }
  IslandRoot.contextType = INSIDE_ISLAND;
  wrapper = IslandRoot as ComponentType;
  wrapperByIsland.set(island, wrapper);
  return wrapper;
}

const previousVNodeHook = options.vnode;
options.vnode = (vnode: VNode<Record<string, unknown>>) => {
  const island = typeof vnode.type === "function"
    ? islandByComponent.get(vnode.type)
    : undefined;
  if (island) {
    vnode.type = wrapperFor(island);
    if (vnode.key != null) {
      vnode.props = { ...vnode.props, [KEY_PROP]: vnode.key };
    }
  }
  previousVNodeHook?.(vnode);
};
