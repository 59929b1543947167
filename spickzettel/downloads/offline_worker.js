/* The offline copy's stand-in for Web Workers, written into the copy by
   spickzettel/downloads/offline.py (never part of the served site).

   Material's search runs lunr in a Web Worker. A page opened from disk (file://)
   may not start one: Chromium refuses a worker script from a file: URL. Material's
   own offline plugin loads a stand-in (iframe-worker) from unpkg.com, a request to
   a host that a room without internet cannot make. This file is the project's own
   stand-in, loaded before Material's bundle: on file: only, `Worker` becomes a
   hidden iframe that runs the worker script. The search worker knows this setup:
   when its parent window has `IFrameWorker`, it finds lunr's language files next
   to its own <script src> and awaits `importScripts`. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  let count = 0;

  class FileWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.pending = [];
      this.scope = null;
      const id = `fileWorker${count++}`;
      window[id] = (data) => this.deliver(data);
      const script = new URL(url, location.href).href;
      const frame = document.createElement("iframe");
      frame.hidden = true;
      frame.setAttribute("aria-hidden", "true");
      frame.title = "search";
      // The first script[src] must be the worker: it looks for lunr beside itself.
      frame.srcdoc =
        "<!doctype html><meta charset=utf-8><script>" +
        `window.postMessage = (data) => parent[${JSON.stringify(id)}](data);` +
        "window.importScripts = (...urls) => urls.reduce((done, url) =>" +
        " done.then(() => new Promise((resolve, reject) => {" +
        " const tag = document.createElement('script'); tag.src = url;" +
        " tag.onload = resolve;" +
        " tag.onerror = () => reject(new Error('cannot load ' + url));" +
        " document.head.append(tag); })), Promise.resolve());" +
        "</scr" + "ipt>" +
        `<script src="${script.replace(/"/g, "&quot;")}"></scr` + "ipt>";
      frame.addEventListener("load", () => {
        this.scope = frame.contentWindow;
        for (const data of this.pending.splice(0)) this.send(data);
      });
      this.frame = frame;
      (document.body || document.documentElement).append(frame);
    }

    postMessage(data) {
      if (this.scope) this.send(data);
      else this.pending.push(data);
    }

    send(data) {
      const event = new MessageEvent("message", { data: structuredClone(data) });
      this.scope.dispatchEvent(event);
    }

    deliver(data) {
      const event = new MessageEvent("message", { data: structuredClone(data) });
      if (typeof this.onmessage === "function") this.onmessage(event);
      this.dispatchEvent(event);
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.IFrameWorker = FileWorker;
  window.Worker = FileWorker;
})();
