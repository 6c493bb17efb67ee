"""User-facing errors: one catalogue, Chinese messages, one line each, exit code 2.

Readers raise :class:`InputError`; the CLI prints ``auditor: 错误 E102: <file>: <message>`` and
exits with 2 — never a traceback.
"""

from __future__ import annotations

#: code → message template (Simplified Chinese; ``{detail}`` is filled in by the raiser).
CATALOGUE: dict[str, str] = {
    "E100": "文件不存在",
    "E101": "无法读取文件：{detail}",
    "E102": "文件为空",
    "E103": "文件已加密（受密码保护），请去除密码后再检查",
    "E104": "文件已损坏或不完整：{detail}",
    "E105": "不支持的文件格式：{detail}",
    "E106": "无法识别文本编码（已尝试 UTF-8、GB18030）",
    "E107": "未找到可识别的绩效自评表表头（如“项目名称”“年度指标值/年度指标内容”“完成情况”）{detail}",
    "E108": "表格中没有项目数据",
    "E109": "文件过大：{detail}",
    "E110": "目录中没有可读取的绩效自评表文件",
    "E111": "基线文件无法读取：{detail}",
    "E112": "拒绝解析可疑内容：{detail}",
    "E113": "语料索引文件不存在（先运行 auditor index build）",
    "E114": "复核问题清单无法使用：{detail}",
    "E115": "这是扫描件（页面只有图像、没有文字层），auditor 不做文字识别（OCR）：{detail}",
    "E116": "需要 LibreOffice 转换：{detail}",
    "E120": "配置错误：{detail}",
    # Outputs (auditor never writes over an input, a device or a folder; see docs/security.md)
    "E140": "输出路径就是输入文件{detail}，拒绝覆盖输入",
    "E141": "输出路径不是普通文件（{detail}），拒绝写入",
    "E142": "输出位置的上级目录不存在{detail}",
    "E143": "无法写入输出：{detail}",
    "E144": "不是 auditor 语料索引文件（{detail}），拒绝使用",
    "E145": "语料索引正被另一个进程写入，等待 {detail} 秒后仍未释放，请稍后再试",
    "E146": "报告目录正被另一个 auditor report 写入，请等它结束后再试{detail}",
}


class InputError(Exception):
    """An input that cannot be read, with a catalogue code and the file it concerns."""

    def __init__(self, code: str, path: str, detail: str = "") -> None:
        self.code = code
        self.path = path
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        template = CATALOGUE.get(self.code, "{detail}")
        return template.format(detail=self.detail) if "{detail}" in template else template

    def one_line(self) -> str:
        text = f"{self.path}: {self.message} [{self.code}]"
        return " ".join(text.split())
