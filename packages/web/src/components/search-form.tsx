import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { pagePath } from '../router/paths.ts';

/** The search box in the header: label "Search", button "Search". */
export function SearchForm({ initial = '' }: { initial?: string }) {
  const [text, setText] = useState(initial);
  const navigate = useNavigate();

  function submit(event: FormEvent) {
    event.preventDefault();
    navigate(pagePath('search.html', { q: text.trim() }));
  }

  return (
    <search>
      <form className="search-form" onSubmit={submit}>
        <label htmlFor="site-search" className="visually-hidden">
          Search
        </label>
        <input
          id="site-search"
          type="search"
          placeholder="Search items"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
    </search>
  );
}
