# GRADER ONLY
# (it holds a wrong version of a solution)
"""Check feedback in Chinese: every English sentence has its Chinese twin under the same key."""

from __future__ import annotations

import importlib
import string

import numpy as np
import pytest

from cs231n_lin import checks, i18n
from cs231n_lin.checks.messages import MESSAGES, message
from cs231n_lin.checks.messages_zh import CAUSES_ZH, MESSAGES_ZH, translate_what

VERBS = {"be", "it", "it_matches", "counts", "subtracts", "uses"}
HAN = "\u4e00-\u9fff"


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f} - VERBS


def test_every_message_has_a_chinese_twin_with_the_same_fields():
    assert set(MESSAGES_ZH) == set(MESSAGES)
    for key, en in MESSAGES.items():
        assert _fields(MESSAGES_ZH[key]) == _fields(en), key


@pytest.mark.parametrize("module", sorted(CAUSES_ZH))
def test_every_lesson_cause_has_a_chinese_twin(module):
    assert set(CAUSES_ZH[module]) == set(importlib.import_module(f"cs231n_lin.checks.{module}").CAUSES)


def test_every_named_check_is_titled_in_chinese_by_its_task():
    from cs231n_lin import tasks
    from cs231n_lin.classifiers.linear_svm import svm_loss_naive

    for task in tasks.of_kind("code"):
        assert getattr(checks, task.check_name).task_ids, task.id
    with i18n.using_lang("zh"):
        assert repr(checks.svm_squared(svm_loss_naive)) == "PASS: svm_loss_naive（squared=True）：损失和梯度"
    english = repr(checks.svm_squared(svm_loss_naive))
    assert english == "PASS: svm_loss_naive with squared=True: loss and gradient"


def _summed_loss(W, X, y, reg, delta=1.0, squared=False):
    """A known mistake: the hinge loss summed over the examples instead of averaged."""
    total = 0.0
    for x_i, y_i in zip(X, y, strict=True):
        scores = x_i @ W
        total += sum(max(0.0, s - scores[y_i] + delta) for s in scores) - delta   # j == y_i adds delta
    return float(total + reg * np.sum(W * W)), np.zeros_like(W)


def test_a_failing_check_prints_the_same_lines_in_chinese():
    with i18n.using_lang("en"):
        en = checks.svm_naive_loss(_summed_loss)
        en_text = repr(en)
    with i18n.using_lang("zh"):
        zh = checks.svm_naive_loss(_summed_loss)
        zh_text = repr(zh)
    assert en.passed == zh.passed is False
    assert [f.key for f in en.failures] == [f.key for f in zh.failures]         # same diagnosis
    assert en_text.startswith("FAIL: svm_loss_naive: the loss")
    assert "Likely cause: Your loss is not averaged" in en_text
    assert zh_text.startswith("FAIL: svm_loss_naive：损失")
    assert "可能的原因：你的损失没有对样本取平均" in zh_text and "Likely cause" not in zh_text
    assert len(en_text.splitlines()) == len(zh_text.splitlines())


def test_lesson_causes_are_shown_in_chinese():
    with i18n.using_lang("zh"):
        text = repr(checks.margin_loss(lambda m, squared=False: (m, m)))
    assert "可能的原因：合页函数没有在 0 处截断" in text


def test_message_falls_back_to_english_for_an_unknown_key_and_fills_fields():
    with i18n.using_lang("zh"):
        assert message("no such key") == "no such key"
        assert message("fit.batch_size", cls="LinearSVM", got=3, batch_size=4) == \
            "LinearSVM.fit 用的小批量有 3 个样本；batch_size 是 4。"


def test_what_lines_are_translated_or_kept():
    assert translate_what("not written yet: svm_loss_naive in cs231n_lin/classifiers/linear_svm.py") == \
        "尚未完成：cs231n_lin/classifiers/linear_svm.py 中的 svm_loss_naive"
    assert translate_what("the loss is 26.4, which is too large") == "损失是 26.4，太大了"
    assert translate_what("on the check's example: N=8, D=5") == "在检查的例子上：N=8, D=5"
    assert translate_what('not written yet: margin_loss in the cell under "你的代码：单个间隔"') == \
        "尚未完成：“你的代码：单个间隔”下面单元格中的 margin_loss"
    assert translate_what("something no pattern knows") == "something no pattern knows"
