import { useEffect, useState } from 'react';

interface TextDownloadLinkProps {
  text: string;
  filename: string;
  type?: string;
  children: string;
}

/** A link that saves `text` as a file, built in the browser (no second request). */
export function TextDownloadLink({
  text,
  filename,
  type = 'application/x-pem-file',
  children,
}: TextDownloadLinkProps) {
  const [url, setUrl] = useState('');
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([text], { type }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [text, type]);
  if (!url) return null;
  return (
    <a href={url} download={filename}>
      {children}
    </a>
  );
}
