"""Configuration: ``[tool.auditor]`` in ``pyproject.toml`` or an ``auditor.toml``, then flags.

The nearest configuration file up the tree from the working directory is used (``auditor.toml``
wins over ``pyproject.toml`` in the same folder); ``--config`` names one explicitly and
``--isolated`` ignores them all. Command-line flags override the file, the file overrides the
defaults, and :func:`describe` says where every effective value came from. Unknown keys are an
error naming the key — a typo must not silently switch a check off.

Example::

    [tool.auditor]
    select = ["CP", "VG", "MS", "NM", "ST", "LG"]
    ignore = ["MS006"]
    fail-on = "warning"
    per-file-ignores = { "archive/*.xlsx" = ["ST003"] }

    [tool.auditor.severity]
    VG001 = "info"

    [tool.auditor.options]
    low-execution-threshold = 85
    near-copy-ratio = 90
    extra-lexicons = ["our-phrases.yaml"]
    allow-phrases = ["持续"]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from auditor.errors import InputError

SEVERITIES = ("error", "warning", "info")
FAIL_LEVELS = ("error", "warning", "info", "none")

#: User-facing option → (rule pack, key) it overrides, and the expected Python type.
OPTIONS: dict[str, tuple[str, str, type]] = {
    "low-execution-threshold": ("structure", "low_execution_threshold", float),
    "rate-tolerance": ("structure", "rate_tolerance", float),
    "sum-tolerance": ("structure", "sum_tolerance", float),
    "required-categories": ("structure", "required_categories", list),
    "near-copy-ratio": ("copy", "near_copy_ratio", float),
    "goal-ratio": ("copy", "goal_ratio", float),
    "clone-min-projects": ("copy", "clone_min_projects", int),
    "clone-min-length": ("copy", "clone_min_length", int),
    "clone-near-ratio": ("copy", "clone_near_ratio", float),
    "short-completion-length": ("completion", "short_without_figure", int),
    "allow-phrases": ("vague", "allow_phrases", list),
    "cross-min-ratio": ("copy", "cross_min_ratio", float),
    "corpus-boilerplate-departments": ("copy", "corpus_boilerplate_departments", int),
    "clone-allow": ("copy", "clone_allow", list),
    "model-category": ("structure", "model_category", bool),
    "model-category-threshold": ("structure", "model_category_threshold", float),
    "model-measurability": ("structure", "model_measurability", bool),
    "model-measurability-threshold": ("structure", "model_measurability_threshold", float),
    "model-sides": ("labels", "model_sides", bool),
    "model-sides-threshold": ("labels", "model_sides_threshold", float),
    "scoring-sections": ("scoring", "sections", dict),
    "scoring-severity-cost": ("scoring", "severity_cost", dict),
    "scoring-family-factor": ("scoring", "family_factor", dict),
    "scoring-overall-factor": ("scoring", "overall_factor", float),
    "scoring-grades": ("scoring", "grades", dict),
    "extra-lexicons": ("", "", list),
}
TOP_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "severity",
    "fail-on",
    "format",
    "options",
    "limits",
}


class ConfigError(InputError):
    """A configuration file that cannot be used (exit 2, one line)."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__("E120", path, detail)

    @property
    def message(self) -> str:
        return f"配置错误：{self.detail}"


@dataclass
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    format: str = "text"
    options: dict[str, Any] = field(default_factory=dict)
    limits: dict[str, float] = field(default_factory=dict)  # see auditor.readers.limits
    path: Path | None = None  # the file it came from
    sources: dict[str, str] = field(default_factory=dict)  # key → "默认" | file | "命令行"

    def ignored_for(self, file: str) -> tuple[str, ...]:
        """Codes ignored for one input file by ``per-file-ignores`` globs."""
        out: list[str] = []
        name = Path(file).as_posix()
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch(name, pattern) or fnmatch(Path(file).name, pattern) or name.endswith("/" + pattern):
                out += codes
        return tuple(out)

    def pack_overrides(self) -> dict[str, dict[str, Any]]:
        overrides: dict[str, dict[str, Any]] = {}
        for option, value in self.options.items():
            pack, key, _ = OPTIONS[option]
            if pack:
                overrides.setdefault(pack, {})[key] = value
        return overrides

    def extra_lexicons(self) -> list[Path]:
        base = self.path.parent if self.path else Path.cwd()
        return [(base / str(p)).resolve() for p in self.options.get("extra-lexicons", [])]


def find_config(start: Path) -> Path | None:
    """The nearest ``auditor.toml`` or ``pyproject.toml`` with ``[tool.auditor]`` up from ``start``."""
    for folder in [start, *start.parents]:
        candidate = folder / "auditor.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if "auditor" in data.get("tool", {}):
                return pyproject
    return None


#: tomllib's messages (3.11–3.13) → Chinese; a message not listed reads as 格式不正确.
_TOML_MESSAGES = (
    (r"Invalid statement", "无法识别的语句（中文键名须加引号）"),
    (r"Expected newline or end of document after a statement", "一行只能写一项（这一项之后应当换行）"),
    (r"Expected '=' after a key in a key/value pair", "键后面缺少“=”"),
    (r"Invalid initial character for a key part", "键的开头有不允许的字符（中文键名须加引号）"),
    (r"Cannot declare (.+) twice", r"重复定义了 \1"),
    (r"Cannot overwrite a value", "重复定义了同一项"),
    (r"Cannot mutate immutable namespace (.+)", r"不能修改已定义的 \1"),
    (r"Cannot redefine namespace (.+)", r"重复定义了 \1"),
    (r"Duplicate inline table key (.+)", r"内联表中重复的键 \1"),
    (r"Expected '\]' at the end of a table declaration", "表名后缺少“]”"),
    (r"Expected '\]\]' at the end of an array declaration", "表数组名后缺少“]]”"),
    (r"Unclosed array", "数组缺少结尾的“]”"),
    (r"Unclosed inline table", "内联表缺少结尾的“}”"),
    (r"Unterminated string", "字符串缺少结尾的引号"),
    (r"Unescaped '\\' in a string", "字符串中的“\\”须写成“\\\\”"),
    (r"Invalid hex value", "无效的十六进制转义"),
    (r"Escaped character is not a Unicode scalar value", "无效的 Unicode 转义"),
    (r"Illegal character '\\n'", "字符串在行尾没有结束（缺少结尾的引号）"),
    (r"Illegal character (.+)", r"不允许的字符 \1"),
    (r"Found invalid character (.+)", r"不允许的字符 \1"),
    (r"Invalid date or datetime", "无效的日期或时间"),
    (r"Invalid value", "无法识别的值（字符串须加引号）"),
    (r"Expected (.+)", r"应为 \1"),
)  # fmt: skip


def toml_error(error: Exception) -> str:
    """``TOML 格式错误：第 3 行第 5 列，键后面缺少“=”`` from tomllib's English message."""
    text = str(error)
    where = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if where is None:
        where = re.search(r"\(at end of document\)", text)
    message = re.sub(r"\s*\(at .*\)\s*$", "", text).strip()
    chinese = "格式不正确"
    for pattern, replacement in _TOML_MESSAGES:
        if re.fullmatch(pattern, message):
            chinese = re.sub(pattern, replacement, message)
            break
    if where is None:
        return f"TOML 格式错误：{chinese}"
    if where.lastindex:
        return f"TOML 格式错误：第 {where.group(1)} 行第 {where.group(2)} 列，{chinese}"
    return f"TOML 格式错误：文件末尾，{chinese}"


def load_config(path: Path | None) -> Config:
    """Read and validate a configuration file (``None`` → defaults)."""
    config = Config()
    for key in ("select", "ignore", "extend-select", "per-file-ignores", "severity", "fail-on", "format"):
        config.sources[key] = "默认"
    if path is None:
        return config
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(str(path), "文件不存在") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "文件不是 UTF-8 编码") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), toml_error(exc)) from exc
    table = data.get("tool", {}).get("auditor", {}) if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in table and "auditor" in table["tool"]:
        table = table["tool"]["auditor"]
    config.path = path
    where = str(path)
    for key, value in table.items():
        if key not in TOP_KEYS:
            raise ConfigError(where, f"未知的配置项“{key}”（可用：{'、'.join(sorted(TOP_KEYS))}）")
        config.sources[key] = where
        if key in ("select", "ignore", "extend-select"):
            setattr(config, key.replace("-", "_"), _codes(value, key, where))
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(where, "per-file-ignores 应为 {通配符 = [规则代码…]}")
            config.per_file_ignores = {str(glob): _codes(codes, key, where) for glob, codes in value.items()}
        elif key == "severity":
            if not isinstance(value, dict) or any(str(v) not in SEVERITIES for v in value.values()):
                raise ConfigError(where, "severity 的值应为 error、warning 或 info")
            config.severity = {str(code).upper(): str(level) for code, level in value.items()}
        elif key == "fail-on":
            if value not in FAIL_LEVELS:
                raise ConfigError(where, f"fail-on 应为 {'、'.join(FAIL_LEVELS)} 之一")
            config.fail_on = value
        elif key == "format":
            config.format = str(value)
        elif key == "options":
            config.options = _options(value, where)
        elif key == "limits":
            config.limits = _limits(value, where)
    return config


def _codes(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(where, f"{key} 应为规则代码列表")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _options(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(where, "options 应为表")
    out: dict[str, Any] = {}
    for name, option in value.items():
        if name not in OPTIONS:
            raise ConfigError(where, f"未知的选项“options.{name}”（可用：{'、'.join(sorted(OPTIONS))}）")
        expected = OPTIONS[name][2]
        if expected is float and isinstance(option, int) and not isinstance(option, bool):
            option = float(option)
        if not isinstance(option, expected):
            raise ConfigError(where, f"选项“options.{name}”应为 {expected.__name__}")
        out[name] = option
    return out


def _limits(value: Any, where: str) -> dict[str, float]:
    from auditor.readers.limits import NAMES

    if not isinstance(value, dict):
        raise ConfigError(where, "limits 应为表")
    for name, limit in value.items():
        if name not in NAMES:
            raise ConfigError(where, f"未知的限制“limits.{name}”（可用：{'、'.join(sorted(NAMES))}）")
        if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
            raise ConfigError(where, f"限制“limits.{name}”应为正数")
    return {str(k): float(v) for k, v in value.items()}


def describe(config: Config) -> str:
    """The effective configuration and where each value came from (``auditor config``)."""
    lines = [f"# 配置文件：{config.path or '（无，使用默认值）'}"]

    def show(key: str, value: Any) -> None:
        lines.append(f"{key} = {_toml(value)}    # 来源：{config.sources.get(key, '默认')}")

    show("select", list(config.select) or ["ALL"])
    show("ignore", list(config.ignore))
    show("extend-select", list(config.extend_select))
    show("fail-on", config.fail_on)
    show("format", config.format)
    show("per-file-ignores", {k: list(v) for k, v in config.per_file_ignores.items()})
    show("severity", config.severity)
    from dataclasses import asdict

    from auditor.readers.limits import Limits
    from auditor.resources import load_pack

    for name, default in asdict(Limits()).items():
        key = name.replace("_", "-")
        value, source = (
            config.limits.get(key, default),
            config.sources.get("limits") if key in config.limits else "默认",
        )
        lines.append(f"limits.{key} = {_toml(value)}    # 来源：{source}")
    for name, (pack, key, _) in sorted(OPTIONS.items()):
        if name in config.options:
            lines.append(f"options.{name} = {_toml(config.options[name])}    # 来源：{config.sources.get('options')}")
        elif pack:
            default = load_pack(pack).get(key)
            lines.append(f"options.{name} = {_toml(default)}    # 来源：默认（rules/{pack}.yaml）")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    if value is None:
        return '""'
    return str(value)
