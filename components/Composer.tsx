import { useEffect, useRef, useState } from "preact/hooks";
import type { JSX } from "preact";
import { LIMITS, type User } from "../utils/protocol.ts";
import { isTouchScreen } from "../utils/touch.ts";

/** Props of {@linkcode Composer}. */
export interface ComposerProps {
  /** Resolves when the text was accepted; a rejection's message is shown. */
  onSubmit: (text: string) => Promise<unknown>;
  /** Who is writing; null asks for a display name first. */
  user: User | null;
  /** Creates the identity for `user === null`. */
  onIdentify: (name: string) => Promise<unknown>;
  /**
   * Asks a viewer without a session for a display name; off when the site
   * signs its users in, and `onIdentify` then gets an empty name.
   * @default true
   */
  askName?: boolean;
  /** Prefills the name field. @default "" */
  suggestedName?: string;
  /** Called by Escape or the cancel button; no cancel button when absent. */
  onCancel?: () => void;
  /** @default "Write a comment…" */
  placeholder?: string;
  /** @default "Send" */
  submitLabel?: string;
  /** Text to start from, e.g. when editing. @default "" */
  initialText?: string;
  /** Focus the textarea when shown. @default false */
  autoFocus?: boolean;
  /** Accessible name of the textarea. @default "Comment" */
  label?: string;
  /** The test hook on the form. */
  testId?: string;
}

const COUNTER_FROM = LIMITS.textMax - 300;

/**
 * A text box that grows with its text: Enter sends, Shift+Enter adds a line
 * (on touch screens Enter adds a line and the button sends), Escape cancels. It keeps the text when sending fails and shows why.
 */
export function Composer(props: ComposerProps) {
  const {
    user,
    askName = true,
    placeholder = "Write a comment…",
    submitLabel = "Send",
    label = "Comment",
  } = props;
  const [text, setText] = useState(props.initialText ?? "");
  const [name, setName] = useState(props.suggestedName ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (props.autoFocus) textarea.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    const el = textarea.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [text]);

  const length = [...text.trim()].length;
  const tooLong = length > LIMITS.textMax;
  const canSend = length > 0 && !tooLong && !busy &&
    (user !== null || !askName || name.trim().length > 0);

  async function send() {
    if (!canSend) return;
    setBusy(true);
    setError(null);
    try {
      if (!user) await props.onIdentify(name.trim());
      await props.onSubmit(text.trim());
      setText("");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLTextAreaElement>) {
    const sends = event.key === "Enter" && !event.shiftKey &&
      !event.isComposing && !isTouchScreen();
    if (sends) {
      event.preventDefault();
      send();
    } else if (event.key === "Escape" && props.onCancel) {
      event.stopPropagation();
      props.onCancel();
    }
  }

  return (
    <form
      class="tack-composer"
      data-testid={props.testId}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {!user && askName && (
        <label class="tack-name">
          <span>Your name</span>
          <input
            type="text"
            value={name}
            maxLength={LIMITS.nameMax}
            autoComplete="nickname"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
      )}
      <textarea
        ref={textarea}
        rows={1}
        value={text}
        placeholder={placeholder}
        aria-label={label}
        aria-invalid={tooLong || undefined}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {error && (
        <p class="tack-error" role="alert" data-testid="error">{error}</p>
      )}
      <div class="tack-composer-actions">
        {length >= COUNTER_FROM && (
          <span class={tooLong ? "tack-counter tack-over" : "tack-counter"}>
            {length} / {LIMITS.textMax}
          </span>
        )}
        <span class="tack-hint" aria-hidden="true">
          Shift+Enter for a new line
        </span>
        {props.onCancel && (
          <button type="button" class="tack-btn" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button
          type="submit"
          class="tack-btn tack-btn-primary"
          data-testid="submit"
          disabled={!canSend}
          aria-busy={busy || undefined}
        >
          {busy ? "Sending…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
