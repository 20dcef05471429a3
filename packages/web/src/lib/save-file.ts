/** Saves a text the portal answered as a file on the user's computer (a download started from script). */
export function saveTextFile(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it started; give the browser a moment before revoking.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
