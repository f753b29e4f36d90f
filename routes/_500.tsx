import { Head } from "$fresh/runtime.ts";

export default function ServerError() {
  return (
    <>
      <Head>
        <title>Something went wrong · Tack</title>
      </Head>
      <main class="page-error">
        <h1>Something went wrong</h1>
        <p>The server could not handle this request. Please try again.</p>
        <p>
          <a href="/">Back to Tack</a>
        </p>
      </main>
    </>
  );
}
