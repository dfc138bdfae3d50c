/** Keys and values (labels, annotations), sorted by key, as plain text. */
export function KeyValueList({ entries, empty = 'none' }: { entries: Record<string, string>; empty?: string }) {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return <p className="muted">{empty}</p>;
  return (
    <dl className="kv">
      {keys.map((k) => (
        <div className="kv__row" key={k}>
          <dt className="kv__key">{k}</dt>
          <dd className="kv__value">{entries[k]}</dd>
        </div>
      ))}
    </dl>
  );
}
