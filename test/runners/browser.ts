/**
 * Debian's Chromium driven by playwright-core (which downloads no browser of its own).
 * `CHROMIUM_PATH` overrides the executable; `HEADED=1` shows the window.
 */
import { Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps trying to reach Google's hosts, which this closed network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: process.env.HEADED !== '1',
    args: CHROMIUM_ARGS,
  });
}
