import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RecordingSink, withDisplaySink } from "../src/notebook/display";
import { formatCell, showTable, tableHtml } from "../src/notebook/table";

/** The text of every cell, row by row (header first), with tags removed and entities kept. */
function cells(html: string): string[][] {
  return [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "")));
}

describe("tables", () => {
  it("renders records with a header, an index column and numbers formatted with the precision, aligned per column", () => {
    const html = tableHtml([{ episode: 1, return: 9.5, agent: "dqn" }, { episode: 2, return: 21, note: true }], { precision: 2 });
    assert.deepEqual(cells(html), [
      ["", "episode", "return", "agent", "note"],
      ["0", "1", "9.50", "dqn", "undefined"],
      ["1", "2", "21.00", "undefined", "true"],
    ]);
    assert.match(html, /2 rows × 4 columns/);
    assert.match(html, /text-align:right[^>]*>9\.50</);
  });

  it("escapes HTML in column names, index labels and values", () => {
    const html = tableHtml({ columns: ["<b>col</b>"], values: [["<script>alert('x')</script>"]], index: ["a&b"] });
    assert.ok(!html.includes("<script>"));
    assert.ok(html.includes("&lt;b&gt;col&lt;/b&gt;"));
    assert.ok(html.includes("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert.ok(html.includes(">a&amp;b<"));
  });

  it("truncates long tables with a '… N more rows' row and wide ones with a '… N more columns' header", () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ a: i, b: i * 2, c: i * 3 }));
    const html = tableHtml(rows, { maxRows: 5, maxColumns: 2 });
    const table = cells(html);
    assert.equal(table.length, 1 + 5 + 1);
    assert.deepEqual(table[0], ["", "a", "b", "… 1 more column"]);
    assert.deepEqual(table[6], ["… 20 more rows"]);
    assert.match(html, /colspan="4"/);
    assert.match(html, /25 rows × 3 columns/);
  });

  it("accepts a danfojs DataFrame and Series by their columns, values and index", async () => {
    const dfd = await import("danfojs-node");
    const df = new dfd.DataFrame([{ x: 1.23456, y: "a" }, { x: 2, y: "b" }], { index: ["r1", "r2"] });
    assert.deepEqual(cells(tableHtml(df, { precision: 3 })), [["", "x", "y"], ["r1", "1.235", "a"], ["r2", "2.000", "b"]]);
    const series = df["x"] as unknown as { columns: string[]; values: number[]; index: string[] };
    assert.deepEqual(cells(tableHtml(series, { precision: 1 })), [["", "x"], ["r1", "1.2"], ["r2", "2.0"]]);
  });

  it("formats special values readably", () => {
    assert.equal(formatCell(Math.PI, 3), "3.142");
    assert.equal(formatCell(1e-7, 2), "1.00e-7");
    assert.equal(formatCell(NaN), "NaN");
    assert.equal(formatCell(null), "null");
    assert.equal(formatCell(new Float32Array([0.5, 1]), 1), "[0.5, 1]");
    assert.equal(formatCell({ a: [1, 2] }), '{"a":[1,2]}');
    assert.equal(formatCell(10n), "10");
  });

  it("rejects data that is neither a DataFrame nor records with a message that names it", () => {
    assert.throws(() => tableHtml(42 as never), /Expected a DataFrame \(columns, values, index\) or an array of records, got 42/);
    assert.throws(() => tableHtml([1, 2] as never), /Expected row 0 to be a record \(plain object\), got 1/);
    assert.throws(() => tableHtml([], { maxRows: -1 }), /Expected maxRows to be a non-negative integer, got -1/);
  });

  it("shows a table as one text/html output", () => {
    const sink = new RecordingSink();
    withDisplaySink(sink, () => showTable([{ a: 1 }]));
    assert.equal(sink.messages.length, 1);
    assert.equal(sink.messages[0]!.mimeType, "text/html");
  });
});
