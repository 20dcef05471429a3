import { useState } from 'react';

/** Copies text to the clipboard and says so (or says how to copy by hand when it cannot). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [result, setResult] = useState('');

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setResult('Copied.');
    } catch {
      setResult('Copying is not allowed here: select the text and copy it by hand.');
    }
  }

  return (
    <>
      <button type="button" onClick={copy}>
        {label}
      </button>
      {result && <output className="status inline-status">{result}</output>}
    </>
  );
}
