"""The report's pages: the shared page frame, and one page per written question.

Every page is one HTML file with inline CSS and (for the question pages) a small inline script that
sorts and filters the answers; formulas are typeset by the MathJax copy
:func:`cs231n_lin.notebook_run.install_mathjax` puts beside the pages (no network). Prompts and
reference answers are the instructor's markdown, rendered by mistune (the parser nbconvert's HTML
export uses) with its math plugin; everything that came from a submission (names, answers) is
HTML-escaped and kept out of MathJax's reach (``tex2jax_ignore``).
"""

from __future__ import annotations

import re
from html import escape
from string import Template
from typing import Any

#: where the question pages go, beside report.html
PAGES_DIRNAME = "report_written"

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC",sans-serif;color:#222;
margin:0;background:#f6f7f9}
main{max-width:1240px;margin:0 auto;padding:14px 26px 50px;background:#fff}
h1{font-size:22px;margin:6px 0 4px}h2{font-size:18px;margin:26px 0 8px;border-bottom:2px solid #e3e6ea;
padding-bottom:3px}h3{font-size:15px;margin:16px 0 6px}
nav{font-size:13px;margin:6px 0 12px}nav a{margin-right:12px;color:#3b6ea8}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:10px 0}
.card{background:#f0f4f9;border-radius:6px;padding:6px 14px;min-width:100px}
.card b{display:block;font-size:20px}.card span{font-size:12px;color:#555}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid #e3e6ea;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f7f9;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:9px;background:#b83a3a;border-radius:2px;vertical-align:middle;margin-right:5px}
.msg{color:#444;font-size:12px}.muted{color:#777}.empty{color:#b83a3a;font-weight:600}
details>summary{cursor:pointer;color:#3b6ea8}details .names{font-size:12px;color:#333;margin:3px 0 0}
.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:11px;background:#e8edf3;margin:1px}
.timeout{background:#fde8c8}.memory{background:#f6d5d5}.crash,.not-graded{background:#e5d5f6}
img{max-width:100%;display:block;margin:6px 0}
.prompt{background:#f6f7f9;border-left:3px solid #3b6ea8;padding:4px 12px;font-size:14px;margin:6px 0}
.key{border-left-color:#3a8a4a;background:#f1f8f2}
.tools{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #e3e6ea;z-index:2;
display:flex;gap:12px;flex-wrap:wrap;align-items:center;font-size:13px}
.tools input[type=search]{width:240px;padding:3px 6px}
.answers{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:8px;margin-top:10px}
.ans{border:1px solid #e3e6ea;border-radius:5px;padding:5px 8px;font-size:13px;background:#fff}
.ans header{display:flex;justify-content:space-between;font-size:12px;color:#555;margin-bottom:2px}
.ans .text{white-space:pre-wrap;display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;
overflow:hidden}.ans.open .text{display:block}.ans.blank{background:#fbf1f1}
.mark{font-weight:600;color:#2d6a3a}.mark.none{color:#b83a3a}
"""

MATHJAX_CONFIG = ("<script type=\"text/x-mathjax-config\">MathJax.Hub.Config({tex2jax:{inlineMath:"
                  "[['$','$'],['\\\\(','\\\\)']],displayMath:[['$$','$$'],['\\\\[','\\\\]']],"
                  "processEscapes:true},'HTML-CSS':{availableFonts:['TeX']},messageStyle:'none'});</script>")

FRAME = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$css</style>
$mathjax
</head><body><main>
<h1>$title</h1>
$body
</main>$script</body></html>
""")

SCRIPT = """<script>
(function(){
  var box=document.getElementById('answers'); if(!box) return;
  var cards=Array.prototype.slice.call(box.children);
  var q=document.getElementById('q'), show=document.getElementById('show');
  var sort=document.getElementById('sort');
  var count=document.getElementById('count');
  function apply(){
    var words=q.value.toLowerCase().split(/\\s+/).filter(Boolean), mode=show.value, n=0;
    cards.forEach(function(c){
      var ok=(mode==='all')||(mode==='empty'&&c.dataset.empty==='1')
        ||(mode==='answered'&&c.dataset.empty==='0')||(mode==='unmarked'&&c.dataset.mark==='')||(mode==='marked'&&c.dataset.mark!=='');
      var text=c.dataset.name.toLowerCase()+' '+c.querySelector('.text').textContent.toLowerCase();
      ok=ok&&words.every(function(w){return text.indexOf(w)>=0;});
      c.style.display=ok?'':'none'; if(ok) n++;
    });
    count.textContent=n+' shown';
  }
  function order(){
    var k=sort.value, s=cards.slice();
    s.sort(function(a,b){
      if(k==='name') return a.dataset.name<b.dataset.name?-1:1;
      if(k==='length') return (+b.dataset.len)-(+a.dataset.len);
      var x=a.dataset.mark===''?-1:+a.dataset.mark, y=b.dataset.mark===''?-1:+b.dataset.mark;
      return k==='mark-up'?x-y:y-x;
    });
    s.forEach(function(c){box.appendChild(c);});
  }
  box.addEventListener('click',function(e){
    var c=e.target.closest('.ans'); if(c) c.classList.toggle('open');});
  q.addEventListener('input',apply); show.addEventListener('change',apply);
  sort.addEventListener('change',function(){order();apply();});
  apply();
})();
</script>"""


def mathjax_tags(url: str | None) -> str:
    """The MathJax configuration and script tags for a page (nothing when ``url`` is None)."""
    return "" if url is None else f'{MATHJAX_CONFIG}<script src="{escape(url)}"></script>'


def markdown(text: str) -> str:
    """The instructor's markdown as HTML, formulas left for MathJax (mistune, the parser under
    nbconvert's markdown filter, with its math plugin: ``$...$`` -> ``\\(...\\)``)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        import mistune

        _MARKDOWN = mistune.create_markdown(escape=False, plugins=["math", "table", "strikethrough"])
    return str(_MARKDOWN(text or ""))


_MARKDOWN = None


def inline_code(text: str) -> str:
    """Escaped text with `backticks` shown as code (headings of the notebooks)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def page(title: str, body: str, *, mathjax_url: str | None = None, script: str = "") -> str:
    """A complete HTML page in the report's frame."""
    return FRAME.substitute(title=escape(title), css=CSS, mathjax=mathjax_tags(mathjax_url), body=body,
                            script=script)


def slug(question_id: str) -> str:
    """A file name for a question id (``"01_svm_hinge_loss/01-009"`` -> ``"01_svm_hinge_loss-01-009"``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", question_id).strip("-") or "question"


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def question_title(q: dict[str, Any]) -> str:
    return f"{q['notebook']}, written answer {q['number']}" if q.get("number") else str(q["id"])


def question_page(q: dict[str, Any], *, prev: dict | None, nxt: dict | None, mathjax_url: str | None,
                  report_title: str) -> str:
    """The page of one written question: prompt, reference answer, and every answer with its mark."""
    links = ['<a href="../report.html">← overview</a>']
    if prev:
        links.append(f'<a href="{slug(prev["id"])}.html">← {escape(question_title(prev))}</a>')
    if nxt:
        links.append(f'<a href="{slug(nxt["id"])}.html">{escape(question_title(nxt))} →</a>')
    pts = "" if q.get("max_points") is None else f" · {_num(q['max_points'])} point(s)"
    n, empty, marked = len(q["answers"]), len(q["empty"]), len(q["graded"])
    marks = list(q["graded"].values())
    mean = f"{sum(marks) / len(marks):.2f}" if marks else "–"
    cards = "".join(f'<div class="card"><b>{v}</b><span>{k}</span></div>' for k, v in [
        ("answers", n), ("empty", empty), ("marked", marked), ("unmarked", n - marked), ("mean mark", mean)])
    reference = (f'<details><summary>Reference answer</summary><div class="prompt key">'
                 f'{markdown(q["reference"])}</div></details>') if q.get("reference") else ""
    items = []
    for name, answer in q["answers"].items():
        mark = q["graded"].get(name)
        shown = f'<span class="mark">{_num(mark)}/{_num(q.get("max_points"))}</span>' if mark is not None \
            else '<span class="mark none">unmarked</span>'
        blank = not answer.strip()
        text = '<span class="empty">EMPTY</span>' if blank else escape(answer)
        items.append(f'<div class="ans{" blank" if blank else ""}" data-name="{escape(name)}" '
                     f'data-mark="{_num(mark)}" data-empty="{int(blank)}" data-len="{len(answer)}">'
                     f'<header><b>{escape(name)}</b>{shown}</header><div class="text">{text}</div></div>')
    tools = ('<div class="tools"><input id="q" type="search" placeholder="keyword or student name">'
             '<label>show <select id="show"><option value="all">all</option><option value="empty">empty'
             '</option><option value="answered">answered</option><option value="unmarked">unmarked</option>'
             '<option value="marked">marked</option></select></label>'
             '<label>sort <select id="sort"><option value="name">by student</option><option value="mark-up">'
             'mark, lowest first</option><option value="mark-down">mark, highest first</option>'
             '<option value="length">longest first</option></select></label><span id="count"></span>'
             '<span class="muted">click an answer to see all of it</span></div>')
    body = (f'<nav>{" ".join(links)}</nav><p class="muted">{escape(q["id"])}{pts} · marks go into '
            f'<code>written.csv</code>, then '
            f'<code>cs231n-lin grade --written written.csv --out DIR</code></p>'
            f'<div class="cards">{cards}</div><div class="prompt">{markdown(q.get("prompt", ""))}</div>'
            f'{reference}{tools}<div id="answers" class="answers tex2jax_ignore">{"".join(items)}</div>')
    return page(f"{report_title} — {question_title(q)}", body, mathjax_url=mathjax_url, script=SCRIPT)


__all__ = ["CSS", "PAGES_DIRNAME", "inline_code", "markdown", "mathjax_tags", "page", "question_page",
           "question_title", "slug"]
