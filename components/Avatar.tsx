/** A round badge with the first letter of a name, coloured by the name. */
export function Avatar({ name }: { name: string }) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const initial = [...name.trim()][0]?.toUpperCase() ?? "?";
  return (
    <span
      class="tack-avatar"
      aria-hidden="true"
      style={`--tack-avatar-hue:${hash % 360}`}
    >
      {initial}
    </span>
  );
}
