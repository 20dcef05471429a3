import { Link } from '../router/link.tsx';
import { href } from '../router/router.ts';

export function NotFoundPage() {
  return (
    <main>
      <h1>Page not found</h1>
      <p>
        This address is not a page of Meridian. Go to <Link href={href('content.html')}>My content</Link>.
      </p>
    </main>
  );
}
