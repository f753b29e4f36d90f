import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { storedMarker } from "../tests/_api.ts";
import { type RoomLayer, useRoomLayer } from "./use_room_layer.ts";

const chat = storedMarker("c1", "room");

/** The layer state of a first (server) render with these options. */
function firstRender(hasDarkBackground?: boolean): RoomLayer {
  let state: RoomLayer | undefined;
  function Probe() {
    state = useRoomLayer(
      {
        tenant: "demo",
        urlId: "room",
        initialChats: [chat],
        initialSeq: 4,
        hasDarkBackground,
      },
      "image",
      (el) => el?.parentElement,
    );
    return null;
  }
  renderToString(h(Probe, {}));
  assert.ok(state);
  return state;
}

Deno.test("useRoomLayer: the first render has the room's chats and nothing open", () => {
  const state = firstRender();
  assert.deepEqual([...state.room.chats.value.keys()], ["c1"]);
  assert.equal(state.room.seq.value, 4);
  assert.equal(state.selected, null);
  assert.equal(state.selectedChat, undefined);
  assert.equal(state.toast, null);
  assert.equal(state.viewer.user, null);
  assert.ok(state.suggestedName.length > 0);
});

Deno.test("useRoomLayer: the theme starts as given, light when it is to be detected", () => {
  assert.equal(firstRender(true).dark, true);
  assert.equal(firstRender(false).dark, false);
  assert.equal(firstRender(undefined).dark, false);
});
