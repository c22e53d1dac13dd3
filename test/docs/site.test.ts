import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli/run-cli.js";
import { type StaticServer, startStaticServer } from "./static-server.js";

const SITE = path.join(ROOT, "docs", "api");
const ARTIFACTS = path.join(ROOT, "test-artifacts");

/** The hand-written and generated pages, with the title typedoc gives each. */
const DOCUMENTS: ReadonlyArray<[string, string]> = [
  ["documents/Getting_started.html", "Getting started"],
  ["documents/Porting_guide.html", "Porting guide"],
  ["documents/Behavior_reference.html", "Behavior reference"],
  ["documents/Error_code_reference.html", "Error code reference"],
  [
    "documents/Known_differences_from_Outlook_Express.html",
    "Known differences from Outlook Express",
  ],
];

let server: StaticServer;
let context: BrowserContext;
let profile: string;
let docsOutput = "";
const blocked: string[] = [];

/** Run `npm run docs` and resolve with its combined output; reject when it fails. */
function buildSite(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("npm", ["run", "docs"], { cwd: ROOT, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`npm run docs failed: ${error.message}\n${stdout}\n${stderr}`));
        return;
      }
      resolve(`${stdout}\n${stderr}`);
    });
  });
}

beforeAll(async () => {
  docsOutput = await buildSite();
  server = await startStaticServer(SITE);
  profile = mkdtempSync(path.join(os.tmpdir(), "imnxport-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === server.origin || url.protocol === "data:") {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort();
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile !== undefined) {
    rmSync(profile, { recursive: true, force: true });
  }
});

/** Open a page of the site; resolve with it and the script errors it raised. */
async function openPage(relative: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") {
      errors.push(message.text());
    }
  });
  const response = await page.goto(`${server.origin}/${relative}`, { waitUntil: "load" });
  return { page, errors, status: response?.status() };
}

/** Collect every href and src of an HTML text, resolved against its URL. */
function linksOf(html: string, base: string): URL[] {
  const links: URL[] = [];
  for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const value = (match[1] ?? "").replace(/&amp;/g, "&");
    if (value === "" || value.startsWith("javascript:") || value.startsWith("mailto:")) {
      continue;
    }
    links.push(new URL(value, base));
  }
  return links;
}

/** Debian's Chromium; CI installs it, and elsewhere the site test is skipped without it. */
const CHROMIUM = "/usr/bin/chromium";
const skip = !existsSync(CHROMIUM) && !process.env.CI;

describe.skipIf(skip)(
  skip ? `documentation site (skipped: ${CHROMIUM} not installed)` : "documentation site",
  () => {
    it("builds without typedoc errors or warnings", () => {
      expect(docsOutput).toContain("html generated at ./docs/api");
      expect(docsOutput).not.toMatch(/\[error\]/);
      expect(docsOutput).not.toMatch(/\[warning\]/);
    });

    it("renders the index", async () => {
      const { page, errors, status } = await openPage("index.html");
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "docs-index.png"), fullPage: false });

      expect(status).toBe(200);
      expect(await page.title()).toBe("imnxport");
      expect(await page.locator("h1").first().textContent()).toContain("imnxport");
      expect(await page.locator("nav").count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.close();
    });

    for (const [relative, title] of DOCUMENTS) {
      it(`renders ${title}`, async () => {
        const { page, errors, status } = await openPage(relative);
        const text = (await page.locator(".tsd-panel.tsd-typography").first().textContent()) ?? "";

        expect(status).toBe(200);
        expect(await page.title()).toBe(`${title} | imnxport`);
        expect(await page.locator("h1").first().textContent()).toContain(title.split(" ")[0]);
        expect(text.length).toBeGreaterThan(500);
        expect(errors).toEqual([]);
        await page.close();
      });
    }

    it("shows sequence diagrams", async () => {
      const { page } = await openPage("documents/Behavior_reference.html");
      const diagram = (await page.locator("pre").first().textContent()) ?? "";

      expect(diagram).toContain("caller    imnxport     server");
      expect(diagram).toContain("──────────▶");
      await page.close();
    });

    it("resolves every internal link", async () => {
      const start = new URL(`${server.origin}/index.html`);
      const queue: URL[] = [start];
      const seen = new Set<string>([start.href]);
      const pages = new Map<string, string>();
      const broken: string[] = [];
      const fragments: Array<{ from: string; to: URL }> = [];

      while (queue.length > 0) {
        const url = queue.shift() as URL;
        const response = await fetch(url);
        if (response.status !== 200) {
          broken.push(`${url.pathname} (HTTP ${response.status})`);
          continue;
        }

        if (!url.pathname.endsWith(".html")) {
          continue;
        }

        const html = await response.text();
        pages.set(url.pathname, html);
        for (const link of linksOf(html, url.href)) {
          if (link.origin !== server.origin) {
            continue;
          }
          if (link.hash !== "" && link.pathname.endsWith(".html")) {
            fragments.push({ from: url.pathname, to: new URL(link.href) });
          }
          link.hash = "";
          if (!seen.has(link.href)) {
            seen.add(link.href);
            queue.push(link);
          }
        }
      }

      const missing = fragments
        .filter(({ to }) => to.hash !== "#")
        .filter(({ to }) => {
          const html = pages.get(to.pathname);
          const id = decodeURIComponent(to.hash.slice(1));
          return (
            html !== undefined && !html.includes(`id="${id}"`) && !html.includes(`name="${id}"`)
          );
        })
        .map(({ from, to }) => `${from} → ${to.pathname}${to.hash}`);

      expect(pages.size).toBeGreaterThan(20);
      expect(broken).toEqual([]);
      expect([...new Set(missing)]).toEqual([]);
    }, 120_000);

    it("loads nothing from other hosts", () => {
      expect(blocked).toEqual([]);
    });
  },
);
