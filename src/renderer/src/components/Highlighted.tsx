import { segments } from '../palette/segments';

/** A name with its matched characters marked; text nodes only. */
export function Highlighted({ text, positions }: { text: string; positions: readonly number[] }) {
  return (
    <>
      {segments(text, positions).map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}
