import { Head } from "$fresh/runtime.ts";

export default function NotFound() {
  return (
    <>
      <Head>
        <title>Page not found · Tack</title>
      </Head>
      <main class="page-error">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <p>
          <a href="/">Back to Tack</a>
        </p>
      </main>
    </>
  );
}
