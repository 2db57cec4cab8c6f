/**
 * The one stylesheet of the HTML report and the web UI. The report inlines it
 * (it must open with no server); the server sends it as /static/style.css so
 * its Content-Security-Policy can forbid inline styles. No rule depends on
 * script: every page is readable with JavaScript off.
 */
export const BRIEFING_CSS = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fdfdfb;--muted:#595959;--accent:#0b5cad;--bad:#a3111b;--ok:#2d6a1f;--hl:#fff1a8;--card:#f3f2ee;--ent:#0b5cad33;--quote:#6b2fa033}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#161616;--muted:#b0b0b0;--accent:#8cc4ff;--bad:#ff8a8a;--ok:#9fdc86;--hl:#5a4d00;--card:#222;--ent:#8cc4ff40;--quote:#c79bff40}}
*{box-sizing:border-box}body{margin:0;font:17px/1.55 Georgia,'Times New Roman',serif;color:var(--fg);background:var(--bg)}
main{max-width:52rem;margin:0 auto;padding:1rem}h1{font-size:1.7rem;line-height:1.25;margin:.5rem 0}h2{font:600 1rem/1.3 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.04em;margin-top:2rem;border-bottom:1px solid var(--muted)}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.meta,.note,.kind,time{font:.85rem/1.4 system-ui,sans-serif;color:var(--muted)}.label{font:600 .85rem system-ui,sans-serif}
ul{padding-left:1.2rem}li{margin:.35rem 0}
.cite{position:relative;font:600 .75rem system-ui,sans-serif;color:var(--accent);text-decoration:none;vertical-align:super;margin-left:1px;padding:0 1px}
.cite:focus{outline:2px solid var(--accent);outline-offset:1px}
.tip{display:none;position:absolute;z-index:2;left:0;top:1.4em;width:min(24rem,80vw);padding:.6rem;background:var(--card);color:var(--fg);border:1px solid var(--muted);border-radius:4px;font:400 .85rem/1.4 system-ui,sans-serif;box-shadow:0 2px 8px #0004;text-align:left}
.cite:hover .tip,.cite:focus .tip,.cite.open .tip{display:block}
.contradiction{list-style:none;margin:1rem 0;padding:.6rem;background:var(--card);border-left:4px solid var(--muted)}
.contradiction.conflicting{border-left-color:var(--bad)}.contradiction.compatible{border-left-color:var(--ok)}
.verdict{font:700 .8rem system-ui,sans-serif;text-transform:uppercase}.conflicting .verdict{color:var(--bad)}.compatible .verdict{color:var(--ok)}
.claims{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.6rem}blockquote{margin:0;padding:.4rem .6rem;border:1px solid var(--muted);border-radius:4px}
.value{font:600 .9rem system-ui,sans-serif;margin:0 0 .3rem}
mark,.hl{background:var(--hl);color:inherit}
.source{margin:1.5rem 0}.source h3{font:600 1rem system-ui,sans-serif}.sentence:target{background:var(--hl);outline:2px solid var(--accent)}
.matrix-wrap{overflow-x:auto}table.matrix{border-collapse:collapse;font:.85rem/1.35 system-ui,sans-serif;min-width:100%}
.matrix th,.matrix td{border-bottom:1px solid var(--card);padding:.3rem .4rem;vertical-align:top}.matrix thead th{text-align:center;white-space:nowrap}
.matrix tbody th{font-weight:400;text-align:left;min-width:14rem}.matrix td{text-align:center}.matrix .has a{text-decoration:none;font-weight:700}.matrix .miss{color:var(--muted)}
.graph{max-width:100%;height:auto;font:12px system-ui,sans-serif}.graph .node{fill:var(--card);stroke:var(--fg);stroke-width:1.5}.graph .origin{fill:var(--bg);stroke:var(--muted);stroke-dasharray:3 2}
.graph text{fill:var(--fg)}.graph .sub{fill:var(--muted);font-size:10px}.graph .credit{stroke:var(--muted);stroke-dasharray:4 3;fill:none}.graph .rewrite{stroke:var(--bad);stroke-width:2;fill:none}.graph .arrow{fill:var(--bad)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.changes h3,.revisions h3{font:600 .95rem system-ui,sans-serif;margin:1.2rem 0 .3rem}.revisions h4{font:600 .85rem system-ui,sans-serif;margin:.6rem 0 .2rem}
ul.removed li{border-left:3px solid var(--bad);padding-left:.5rem;list-style:none}ul.added li{border-left:3px solid var(--ok);padding-left:.5rem;list-style:none}
footer{max-width:52rem;margin:2rem auto;padding:1rem;font:.8rem system-ui,sans-serif;color:var(--muted)}
`;

/** What only the web UI needs: navigation, forms, the story list and the article page's highlights. */
export const APP_CSS = `
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.4rem;z-index:5}
.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline;max-width:52rem;margin:0 auto;padding:.6rem 1rem;border-bottom:1px solid var(--muted);font:600 .95rem system-ui,sans-serif}
.top .brand{font-size:1.1rem;text-decoration:none;color:var(--fg)}
form.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.6rem;align-items:end;font:.9rem system-ui,sans-serif;margin:1rem 0}
label{display:block;font:600 .85rem system-ui,sans-serif;margin-bottom:.2rem}
input,textarea,button,select{font:1rem system-ui,sans-serif;padding:.45rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg);max-width:100%}
input[type=text],input[type=url],input[type=search],input[type=password],textarea{width:100%}
button{background:var(--accent);color:var(--bg);border-color:var(--accent);font-weight:600;cursor:pointer;min-height:2.5rem}
.stories{list-style:none;padding:0}.stories li{padding:.7rem 0;border-bottom:1px solid var(--card)}.stories h2{all:unset;display:block;font:600 1.1rem/1.3 Georgia,serif}
.pager{display:flex;justify-content:space-between;font:.95rem system-ui,sans-serif}
.add{display:grid;gap:1.5rem}.add fieldset{border:1px solid var(--muted);border-radius:6px;padding:1rem}.add legend{font:600 1rem system-ui,sans-serif}
.field{margin:.6rem 0}.hint{font:.8rem system-ui,sans-serif;color:var(--muted);margin:.2rem 0}
.status{font:.95rem system-ui,sans-serif;padding:.6rem;border-radius:4px;background:var(--card)}.status.error{border-left:4px solid var(--bad)}.status.ok{border-left:4px solid var(--ok)}
.status:empty{display:none}progress{width:100%}
.text .ent{background:var(--ent);border-radius:2px}.text .quote{background:var(--quote)}.text .fact{text-decoration:underline;text-decoration-color:var(--ok);text-decoration-thickness:2px;text-underline-offset:3px}
.text .added{border-bottom:2px solid var(--ok)}.text .hl{background:var(--hl);box-shadow:0 2px 0 var(--accent)}
form.changes-nav{display:flex;flex-wrap:wrap;gap:.4rem .6rem;align-items:center;font:.9rem system-ui,sans-serif;margin:.8rem 0;padding:.5rem .6rem;background:var(--card);border-radius:4px}
form.changes-nav label{display:inline;margin:0}form.changes-nav input{width:11rem}form.changes-nav .hint{flex-basis:100%}#hl,:target{scroll-margin-top:30vh}.legend span{margin-right:.8rem}
dl.meta-list{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font:.9rem system-ui,sans-serif}dl.meta-list dt{font-weight:600}dl.meta-list dd{margin:0;overflow-wrap:anywhere}
@media (max-width:30rem){body{font-size:16px}main{padding:.6rem}h1{font-size:1.4rem}.matrix tbody th{min-width:10rem}}
`;
