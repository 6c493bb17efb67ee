#!/usr/bin/env python3
"""Build two defect-rich 绩效自评表 submissions with a reviewer's place-by-place labels.

Run from the repository root:

    .venv/bin/python corpus/_build/make_defects.py           # write the two files + YAML, then verify
    .venv/bin/python corpus/_build/make_defects.py --check   # only read the files back and verify

Files (hand-written content, deterministic output):
  corpus/housing-2021-wide-defects.xlsx   某区住房和城乡建设局, layout A (3-row merged header), 5 projects
  corpus/sports-2022-standard-defects.xlsx 某县文化体育局, layout B, 3 projects, one per sheet

Each ``<stem>.expected.yaml`` has the parsed content in the format of make_corpus.py and, instead of
``findings:``, a ``review:`` section in the style of shared/gold/seed-findings.yaml: per project a
``must`` list (a careful reviewer flags it; each entry has a ``# why:`` comment) and a ``maybe`` list
(debatable).  A place is ``<category>.<side>`` (side: target | completion | score | reason) or a
project field (goal | goal_completion | budget | problems | score | row); the family is the first two
letters of a rule code (CP VG MS NM ST LG).  The labels are a reviewer's judgement written by hand; the
script only cross-checks the numeric facts (rates, sums, scores) and verbatim copies against them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus as mc  # noqa: E402  (writers, data model, read-back checks)
from make_corpus import Ind, ProjA, ProjB, funds, NA  # noqa: E402

ROOT = mc.ROOT
CORPUS = mc.CORPUS
FAMILIES = {"CP", "VG", "MS", "NM", "ST", "LG"}
FIELDS = {"goal", "goal_completion", "budget", "problems", "score", "row"}


def M(where, fam, why):
    """A must label: where, family, why."""
    return (where, fam, why)


def Y(where, fam, note=""):
    """A maybe label."""
    return (where, fam, note)


# =============================================================================================
# 1. 某区住房和城乡建设局 2021 — layout A, xlsx with the 3-row merged header
# =============================================================================================

# boilerplate pasted into several projects (CP004)
H_DONE = "已按要求完成年度各项工作任务，达到预期效果。"  # goal_completion of projects 2-5
H_TIME = "按进度完成，确保资金及时支付到位"  # 时效 target of projects 2, 4, 5
H_SOC = "社会效益显著，群众获得感进一步提升"  # 社会效益 target of projects 2, 3, 5

HOUSING = dict(
    file="housing-2021-wide-defects.xlsx",
    layout="wide",
    writer="xlsx_wide",
    department="某区住房和城乡建设局",
    year=2021,
    sheet_name="2021年度项目自评",
    projects=[
        # 1 — mostly well written; a shortfall claimed complete and a typo
        ProjA(
            1,
            "某区城市更新服务中心",
            "老旧小区综合改造",
            1200.00,
            1176.40,
            1176.40,
            0.00,
            "完成15个老旧小区综合改造，涉及居民2860户，改造内容包括雨污分流、外立面整治和加装电梯8部，"
            "2021年11月30日前完工。",
            "完成15个小区综合改造，惠及居民2860户，新建雨污分流管网4.2公里，加装电梯6部"
            "（另2部因住户意见未统一顺延至2022年实施），11月26日通过竣工验收。",
            [
                ("改造老旧小区15个，加装电梯8部", "改造老旧小区15个，加装电梯6部，全面完成年度任务"),
                ("工程竣工验收合格率100%", "15个小区均一次通过竣工验收，合恪率100%"),
                ("2021年11月30日前完工", "2021年11月26日通过竣工验收"),
                NA,
                ("受益居民≥2800户", "受益居民2860户"),
                ("改造小区雨污分流率100%", "15个小区雨污分流改造全部完成，新建分流管网4.2公里"),
                ("居民满意度≥90%", "入户抽样调查满意度93.2%（抽样300户）"),
            ],
            "2部电梯因部分住户意见不一致未能按期开工。",
            "街道社区加强入户协调，计划2022年6月底前完成剩余2部电梯加装。",
        ),
        # 2 — low execution (85.06%) with nothing under 存在的问题; boilerplate everywhere
        ProjA(
            2,
            "某区建设工程安全监督站",
            "建筑施工安全监督检查",
            85.00,
            72.30,
            72.30,
            0.00,
            "加强建筑施工安全监管，进一步提升施工工地安全管理水平，确保全年不发生较大及以上安全事故。",
            H_DONE,
            [
                ("加强建筑施工安全监管，进一步提升施工工地安全管理水平", ""),
                ("安全隐患整改率", "排查发现安全隐患326处，已整改销号320处，整改率98.2%"),
                (H_TIME, "按进度完成，资金已及时支付到位"),
                ("降低建筑施工安全事故损失，促进建筑业健康发展", "效果明显"),
                (H_SOC, "提升"),
                ("减少事故赔偿支出，保障企业正常生产经营", "已完成"),
                ("施工企业满意度", "满意"),
            ],
            "",
            "",
        ),
        # 3 — overspend; goal with nothing measurable; thresholds written as completions
        ProjA(
            3,
            "某区住房保障服务中心",
            "公共租赁住房维修养护",
            260.00,
            271.50,
            271.50,
            0.00,
            "做好公租房维修养护工作，保障住房安全，改善住户居住条件。",
            H_DONE,
            [
                ("做好公租房维修养护工作，保障住房安全", "已完成"),
                ("维修工程验收合格率≥95%", "≥95%"),
                ("接到报修后及时处理", "及时处理"),
                NA,
                (H_SOC, "社会效益显著，群众获得感已进一步提升"),
                NA,
                ("住户满意度≥90%", "住户满意度≥90%"),
            ],
            "部分房屋屋面渗漏维修量超出年初预估，支出超出预算。",
            "超支部分已报区财政局调剂解决，今后加强维修前查勘和预算测算。",
        ),
        # 4 — stated 执行率 96.40% vs 138.60/150.00 = 92.40%; 不适用 under 质量; empty 时效 completion
        ProjA(
            4,
            "某区房屋安全管理所",
            "城镇房屋安全隐患排查",
            150.00,
            138.60,
            138.60,
            0.00,
            "对全区2000年以前建成的城镇房屋开展安全隐患排查，排查房屋不少于3200栋，完成疑似危房鉴定60栋，"
            "2021年10月31日前建立房屋安全档案。",
            H_DONE,
            [
                ("排查房屋≥3200栋，鉴定疑似危房60栋", "排查房屋3350栋，鉴定疑似危房62栋"),
                ("不适用", "不适用"),
                (H_TIME, ""),
                NA,
                (
                    "消除房屋安全隐患，保障群众生命财产安全",
                    "排查发现隐患房屋118栋，已整治销号97栋，其余21栋落实专人监护",
                ),
                NA,
                ("房屋业主满意度≥85%", "电话回访抽样调查满意度91.3%（回访400户）"),
            ],
            "部分业主配合度不高，入户排查难度大。",
            "联合街道社区加强宣传，2022年对剩余隐患房屋持续跟踪整治。",
            rate=96.40,
        ),
        # 5 — 合计 104.50 ≠ 94.50 + 0.00; copies, typo, stutter, clause ×3, truncated problems
        ProjA(
            5,
            "某区建筑市场服务中心",
            "建设工地扬尘污染防治",
            110.00,
            104.50,
            94.50,
            0.00,
            "落实建设工地扬尘防治“六个百分百”措施，在建工地扬尘防治措施落实率达到95%以上，"
            "2021年9月30日前完成扬尘在线监测设备安装80套。",
            H_DONE,
            [
                ("安装扬尘在线监测设备80套", "安装扬尘在线监测设备80套"),
                ("在建工地扬尘防治措施落实率≥95%", "经季度抽查，施工工底扬尘防治措施落实率96.8%"),
                (H_TIME, H_TIME),
                ("不适用", "减少企业因扬尘整改停工损失约50万元"),
                (H_SOC, "扬尘投诉明显减少，社会效益进一步提升提升"),
                (
                    "减少扬尘污染，改善空气质量，减少扬尘污染，改善空气质量，减少扬尘污染，改善空气质量",
                    "全区PM10年均浓度58微克/立方米，较上年下降6.5%",
                ),
                ("工地周边居民满意度≥90%", "问卷调查满意度92.5%（发放问卷500份）"),
            ],
            "部分工地围挡喷淋设施老化，夜间施工扬尘管控仍存在薄弱环节，下一步将",
            "联合城管执法部门开展夜间巡查，督促施工单位更换老化设备。",
        ),
    ],
    review={
        1: dict(  # 老旧小区综合改造
            must=[
                M("数量指标.completion", "NM", "加装电梯6部 < 目标8部，却写“全面完成年度任务”"),
                M("质量指标.completion", "LG", "“合恪率”应为“合格率”"),
            ],
            maybe=[
                Y("数量指标.completion", "VG", "“全面完成年度任务” is a stock phrase, but figures are given"),
            ],
        ),
        2: dict(  # 建筑施工安全监督检查
            must=[
                M("problems", "NM", "执行率85.06% < 90%，存在的问题、整改情况均为空"),
                M("goal", "VG", "“加强…进一步提升…管理水平” boilerplate"),
                M("goal_completion", "CP", "same sentence in projects 2-5"),
                M("goal_completion", "VG", "states no achieved value"),
                M("数量指标.target", "CP", "restates the project goal"),
                M("数量指标.target", "MS", "no quantity at all"),
                M("数量指标.target", "VG", "“加强…进一步提升”"),
                M("数量指标.completion", "ST", "required completion left empty"),
                M("质量指标.target", "MS", "bare indicator name “安全隐患整改率”, no value"),
                M("时效指标.target", "MS", "no deadline"),
                M("时效指标.target", "CP", "same text in projects 2, 4, 5"),
                M("时效指标.completion", "CP", "near copy of the target"),
                M("经济效益指标.target", "VG", "“降低…损失，促进…健康发展” stock phrase"),
                M("经济效益指标.target", "MS", "no figure or grade"),
                M("经济效益指标.completion", "VG", "bare “效果明显”"),
                M("社会效益指标.target", "VG", "“社会效益显著…进一步提升”"),
                M("社会效益指标.target", "MS", "no figure or grade"),
                M("社会效益指标.target", "CP", "same text in projects 2, 3, 5"),
                M("社会效益指标.completion", "VG", "bare “提升”"),
                M("生态效益指标.target", "ST", "accident compensation / business losses are not ecological"),
                M("生态效益指标.completion", "VG", "bare “已完成”"),
                M("满意度指标.target", "MS", "“施工企业满意度” has no threshold"),
                M("满意度指标.completion", "VG", "bare “满意”, no survey"),
            ],
            maybe=[
                Y("budget", "NM", "the low rate itself"),
                Y("problems", "ST", "empty problems while the rate is low"),
                Y("goal", "MS", "only “不发生较大及以上安全事故” is measurable"),
                Y("时效指标.target", "VG", "“按进度完成，确保资金及时支付到位”"),
                Y("时效指标.completion", "VG"),
                Y("生态效益指标.target", "MS"),
                Y("生态效益指标.target", "VG"),
            ],
        ),
        3: dict(  # 公共租赁住房维修养护
            must=[
                M("budget", "NM", "执行数271.50 > 预算数260.00 (104.42%)"),
                M("goal", "MS", "nothing measurable in the goal"),
                M("goal_completion", "CP", "same sentence in projects 2-5"),
                M("goal_completion", "VG", "states no achieved value"),
                M("数量指标.target", "CP", "restates the project goal"),
                M("数量指标.target", "MS", "no quantity"),
                M("数量指标.completion", "VG", "bare “已完成”"),
                M("质量指标.completion", "VG", "“≥95%” is a threshold, not an achieved value"),
                M("时效指标.target", "MS", "“及时处理” has no time limit"),
                M("时效指标.completion", "VG", "bare “及时处理”"),
                M("社会效益指标.target", "VG", "“社会效益显著…进一步提升”"),
                M("社会效益指标.target", "MS", "no figure or grade"),
                M("社会效益指标.target", "CP", "same text in projects 2, 3, 5"),
                M("社会效益指标.completion", "CP", "the target with “已” inserted"),
                M("社会效益指标.completion", "VG", "no achieved value"),
                M("满意度指标.completion", "CP", "identical to the target"),
                M("满意度指标.completion", "VG", "a threshold, no survey result"),
            ],
            maybe=[
                Y("goal", "VG", "“做好…保障…改善”"),
                Y("数量指标.target", "VG"),
                Y("质量指标.completion", "CP", "the target's threshold repeated"),
                Y("时效指标.completion", "CP", "the target shortened"),
                Y("时效指标.target", "VG"),
                Y("problems", "NM", "the overspend is explained only briefly"),
            ],
        ),
        4: dict(  # 城镇房屋安全隐患排查
            must=[
                M("budget", "NM", "执行率 stated 96.40%, 138.60/150.00 = 92.40%"),
                M("goal_completion", "CP", "same sentence in projects 2-5"),
                M("goal_completion", "VG", "states no achieved value"),
                M("质量指标.target", "ST", "不适用 in a required output category"),
                M("时效指标.target", "MS", "no deadline (the goal has 10月31日)"),
                M("时效指标.target", "CP", "same text in projects 2, 4, 5"),
                M("时效指标.completion", "ST", "required completion left empty"),
                M("社会效益指标.target", "MS", "no figure or grade"),
            ],
            maybe=[
                Y("质量指标.completion", "ST", "不适用 on the completion side too"),
                Y("时效指标.target", "VG"),
                Y("社会效益指标.target", "VG", "“保障群众生命财产安全”"),
            ],
        ),
        5: dict(  # 建设工地扬尘污染防治
            must=[
                M("budget", "NM", "合计104.50 ≠ 财政拨款94.50 + 非财政资金0.00"),
                M("goal_completion", "CP", "same sentence in projects 2-5"),
                M("goal_completion", "VG", "states no achieved value"),
                M("数量指标.completion", "CP", "identical to the target"),
                M("质量指标.completion", "LG", "“施工工底” should be “施工工地”"),
                M("时效指标.target", "MS", "no deadline (the goal has 9月30日)"),
                M("时效指标.target", "CP", "same text in projects 2, 4, 5"),
                M("时效指标.completion", "CP", "identical to the target"),
                M("经济效益指标.target", "ST", "target 不适用 but a completion is given"),
                M("社会效益指标.target", "VG", "“社会效益显著…进一步提升”"),
                M("社会效益指标.target", "MS", "no figure or grade"),
                M("社会效益指标.target", "CP", "same text in projects 2, 3, 5"),
                M("社会效益指标.completion", "LG", "“提升提升” stutter"),
                M("社会效益指标.completion", "VG", "“明显减少…进一步提升”, no figure"),
                M("生态效益指标.target", "LG", "the same clause three times"),
                M("生态效益指标.target", "MS", "no figure or grade"),
                M("problems", "ST", "text breaks off after “下一步将”"),
            ],
            maybe=[
                Y("经济效益指标.completion", "ST", "completion given where the target says 不适用"),
                Y("时效指标.target", "VG"),
                Y("时效指标.completion", "VG"),
                Y("生态效益指标.target", "VG", "“改善空气质量”"),
            ],
        ),
    },
)

# =============================================================================================
# 2. 某县文化体育局 2022 — layout B, one project per sheet, 分值/得分/总分 filled in
# =============================================================================================

SPORTS = dict(
    file="sports-2022-standard-defects.xlsx",
    layout="standard",
    writer="xlsx_per_sheet",
    department="某县文化体育局",
    year=2022,
    projects=[
        # 1 — 执行率84.95% but full 10 points and no reason anywhere; full marks on 已完成
        ProjB(
            name="全民健身场地设施建设项目",
            dept="某县文化体育局",
            implementer="某县体育事业发展中心",
            sheet="项目1",
            funds=funds((400.00, 420.00, 356.80), (400.00, 400.00, 336.80), carry=(None, 20.00, 20.00)),
            goal="新建笼式足球场6个，更新健身路径30条，2022年12月31日前完成建设并投入使用。",
            completion="新建笼式足球场6个，更新健身路径32条，12月28日全部完工并投入使用。",
            rate_score=10,
            inds=[
                Ind("数量指标", "新建笼式足球场数量", "6个", "建成6个，均已投入使用", 10, 10),
                Ind("数量指标", "更新健身路径数量", "≥30条", "已完成", 10, 10),
                Ind("质量指标", "场地设施验收合格率", "验收合格率", "100%", 10, 10),
                Ind(
                    "时效指标",
                    "项目完工时间",
                    "因部分场地选址调整需重新履行审批程序，完工时间相应顺延",
                    "2022年12月28日完工",
                    10,
                    10,
                ),
                Ind("成本指标", "项目建设成本", "严格控制在预算范围内", "356.80万元", 10, 10),
                Ind(
                    "社会效益指标",
                    "群众健身条件改善",
                    "进一步改善群众健身条件，全民健身氛围更加浓厚",
                    "群众健身条件得到进一步改善",
                    15,
                    15,
                ),
                Ind("可持续影响指标", "设施使用年限", "≥8年", "≥8年", 15, 15),
                Ind("服务对象满意度指标", "健身群众满意度", "≥90%", "问卷调查满意度93.6%（抽样420人）", 10, 10),
            ],
        ),
        # 2 — stated 执行率96.00% (78.40/80.00 = 98.00%); 总分97.6 ≠ 99.6; goal not measurable
        ProjB(
            name="公共体育场馆免费低收费开放项目",
            dept="某县文化体育局",
            implementer="某县体育中心",
            sheet="项目2",
            funds=funds((80.00, 80.00, 78.40), (60.00, 60.00, 58.40), other=(20.00, 20.00, 20.00)),
            goal="推进体育场馆免费低收费开放，提升场馆服务水平，满足群众健身需求。",
            completion="已按要求完成，场馆服务水平进一步提升，群众满意。",
            rate=96.00,
            rate_score=9.6,
            total=97.6,
            inds=[
                Ind("数量指标", "场馆开放天数", "≥330天", "全年开放336天", 10, 10),
                Ind("数量指标", "年度服务人次", "≥15万人次", "17.2万人次（门禁系统统计）", 10, 10),
                Ind("质量指标", "场馆开放率", "场馆开放率", "按要求落实到位，群众反映良好", 10, 10),
                Ind("时效指标", "场馆开放时间", "及时开放", "按要求落实到位，群众反映良好", 10, 10),
                Ind("成本指标", "单位人次服务成本", "≤5元/人次", "4.56元/人次", 10, 10),
                Ind(
                    "经济效益指标",
                    "带动体育消费",
                    "进一步促进体育消费，拉动经济增长",
                    "场馆周边餐饮、体育用品商户经营收入有所增加，带动",
                    10,
                    10,
                ),
                Ind("社会效益指标", "经常参加体育锻炼人口比例", "≥38%", "38.5%（县体育局年度抽样监测）", 10, 10),
                Ind(
                    "可持续影响指标",
                    "群众健身习惯养成",
                    "群众健身意识不断增强，健身习惯逐步养成",
                    "全民建身氛围日益浓厚",
                    10,
                    10,
                ),
                Ind(
                    "服务对象满意度指标",
                    "场馆使用者满意度",
                    "≥90%",
                    "群众对场馆开放时间和收费标准意见较多，建议延长夜间开放时间",
                    10,
                    10,
                ),
            ],
        ),
        # 3 — 年度资金总额120.00 ≠ 100.00 + 25.00; 12 of 15 events claimed complete; 得分12 > 分值10
        ProjB(
            name="全民运动会及群众体育赛事项目",
            dept="某县文化体育局",
            implementer="某县全民健身服务中心",
            sheet="项目3",
            funds=funds((120.00, 120.00, 112.40), (100.00, 100.00, 92.40), other=(20.00, 25.00, 20.00)),
            goal="举办全县第十届全民运动会及群众性体育赛事不少于15项，参赛群众不少于6000人次，赛事安全事故0起。",
            completion="共举办赛事12项，参赛群众6480人次，未发生安全事故，全面完成年度目标。",
            inds=[
                Ind("数量指标", "举办赛事项数", "≥15项", "12项", 10, 10),
                Ind("数量指标", "参赛群众人次", "≥6000人次", "6480人次", 10, 10),
                Ind("质量指标", "裁判员持证上岗率", "100%", "100%（选派持证裁判员86人）", 10, 10),
                Ind("时效指标", "赛事完成时间", "2022年11月30日前完成全部赛事", "2022年11月30日前完成全部赛事", 10, 10),
                Ind(
                    "成本指标",
                    "单项赛事平均成本",
                    "≤8万元/项",
                    "9.37万元/项",
                    10,
                    8.54,
                    "受疫情影响3项赛事取消，场地搭建等固定成本分摊增加，预算执行律有所下降；下年度细化赛事预算测算。",
                ),
                Ind(
                    "社会效益指标",
                    "赛事宣传覆盖",
                    "通过电视、新媒体开展赛事宣传报道，营造浓厚全民健身氛围",
                    "县融媒体中心发布赛事报道46篇，短视频累计播放21.5万次",
                    10,
                    10,
                ),
                Ind(
                    "生态效益指标",
                    "带动赛事期间消费",
                    "带动赛事期间住宿、餐饮消费≥50万元",
                    "据县商务局测算带动消费约62万元",
                    10,
                    10,
                ),
                Ind(
                    "可持续影响指标",
                    "赛事长效机制",
                    "建立健全群众体育赛事长效机制，打造品牌赛事，打造品牌赛事，打造品牌赛事",
                    "已建立",
                    10,
                    10,
                ),
                Ind("服务对象满意度指标", "参赛群众满意度", "满意度较高", "满意度较高，群众普遍好评", 10, 12),
            ],
        ),
    ],
    review={
        1: dict(  # 全民健身场地设施建设项目
            must=[
                M("budget", "NM", "执行率84.95% scored the full 10 (should be 8.50) and no reason is given anywhere"),
                M("数量指标.completion", "VG", "bare “已完成” against ≥30条"),
                M("数量指标.score", "NM", "full marks on a completion with no value"),
                M("质量指标.target", "MS", "bare indicator name “验收合格率”, no value"),
                M("时效指标.target", "ST", "a justification for delay, not a timeliness target"),
                M("时效指标.target", "MS", "no deadline"),
                M("成本指标.target", "MS", "“严格控制在预算范围内” gives no cost value"),
                M("社会效益指标.target", "VG", "“进一步改善…更加浓厚”"),
                M("社会效益指标.target", "MS", "no figure or grade"),
                M("社会效益指标.completion", "VG", "no achieved value"),
                M("可持续影响指标.completion", "CP", "identical to the target"),
                M("可持续影响指标.completion", "VG", "“≥8年” is a threshold, not an achieved value"),
            ],
            maybe=[
                Y("score", "NM", "总分100 includes the wrong 执行率 score"),
                Y("problems", "NM", "low rate unexplained (layout B has no 存在的问题 field)"),
                Y("problems", "ST"),
                Y("社会效益指标.completion", "CP", "the target reworded"),
                Y("可持续影响指标.score", "NM", "full marks on a threshold completion"),
                Y("成本指标.completion", "MS", "the total spent, not a unit cost"),
            ],
        ),
        2: dict(  # 公共体育场馆免费低收费开放项目
            must=[
                M("budget", "NM", "执行率 stated 96.00%, 78.40/80.00 = 98.00%; its score 9.6 follows the wrong rate"),
                M("score", "NM", "总分97.6 ≠ 90 + 9.6 = 99.6"),
                M("goal", "MS", "nothing measurable in the goal"),
                M("goal_completion", "VG", "“已按要求完成…进一步提升…群众满意”"),
                M("质量指标.target", "MS", "bare indicator name “场馆开放率”, no value"),
                M("质量指标.completion", "CP", "same text as the 时效 completion"),
                M("质量指标.completion", "VG", "no achieved value"),
                M("时效指标.target", "MS", "“及时开放”: no deadline"),
                M("时效指标.completion", "CP", "same text as the 质量 completion"),
                M("时效指标.completion", "VG", "no achieved value"),
                M("经济效益指标.target", "VG", "“进一步促进…拉动经济增长”"),
                M("经济效益指标.target", "MS", "no figure or grade"),
                M("经济效益指标.completion", "ST", "text breaks off after “带动”"),
                M("经济效益指标.completion", "VG", "“有所增加”, no figure"),
                M("可持续影响指标.target", "VG", "“不断增强…逐步养成”"),
                M("可持续影响指标.target", "MS", "no figure or grade"),
                M("可持续影响指标.completion", "LG", "“建身” should be “健身”"),
                M("可持续影响指标.completion", "VG", "“日益浓厚”, no figure"),
                M("满意度指标.completion", "ST", "complaints and suggestions, not a satisfaction result"),
            ],
            maybe=[
                Y("goal", "VG", "“提升场馆服务水平”"),
                Y("质量指标.score", "NM", "full marks on a vague completion"),
                Y("时效指标.score", "NM", "full marks on a vague completion"),
                Y("经济效益指标.score", "NM", "full marks on a truncated completion"),
                Y("可持续影响指标.score", "NM"),
                Y("满意度指标.score", "NM", "full marks with no survey result"),
                Y("满意度指标.completion", "VG", "no figure"),
                Y("时效指标.target", "VG"),
            ],
        ),
        3: dict(  # 全民运动会及群众体育赛事项目
            must=[
                M("budget", "NM", "年度资金总额 全年预算数120.00 ≠ 100.00 + 25.00"),
                M("goal_completion", "NM", "12项 < 15项, yet “全面完成年度目标”"),
                M("数量指标.score", "NM", "12项 of ≥15项 scored the full 10"),
                M("数量指标.reason", "ST", "shortfall with no 偏差原因"),
                M("时效指标.completion", "CP", "identical to the target"),
                M("成本指标.reason", "LG", "“执行律” should be “执行率”"),
                M("社会效益指标.target", "MS", "an activity description, no figure or grade"),
                M("生态效益指标.target", "ST", "consumption (economic) under 生态效益"),
                M("可持续影响指标.target", "LG", "“打造品牌赛事” three times"),
                M("可持续影响指标.target", "MS", "no figure or grade"),
                M("可持续影响指标.completion", "VG", "bare “已建立”"),
                M("满意度指标.target", "MS", "“满意度较高”: no threshold"),
                M("满意度指标.completion", "VG", "no figure, no survey"),
                M("满意度指标.score", "NM", "得分12 > 分值10"),
            ],
            maybe=[
                Y("数量指标.completion", "NM", "12 < 15 while the score says met"),
                Y("goal_completion", "VG", "“全面完成年度目标”"),
                Y("时效指标.completion", "NM", "“完成全部赛事” though 3 were cancelled"),
                Y("可持续影响指标.target", "VG", "“建立健全…长效机制”"),
                Y("可持续影响指标.score", "NM", "full marks on “已建立”"),
                Y("满意度指标.completion", "CP", "the target with 群众普遍好评 added"),
                Y("社会效益指标.target", "VG", "“营造浓厚…氛围”"),
                Y("生态效益指标.completion", "ST"),
                Y("score", "NM", "总分 includes the 12-point score"),
            ],
        ),
    },
)

SUBMISSIONS = [HOUSING, SPORTS]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def review_text(sub) -> str:
    """The review section as YAML text, with a comment on every label."""
    names = {k: p.name for k, p in enumerate(sub["projects"], 1)}
    out = ["review:"]
    for idx in sorted(sub["review"]):
        rv = sub["review"][idx]
        out.append(f"  {idx}:  # {names[idx]}")
        for kind in ("must", "maybe"):
            out.append(f"    {kind}:")
            if not rv.get(kind):
                out[-1] += " []"
                continue
            for where, fam, why in rv[kind]:
                item = f"      - [{where}, {fam}]"
                if why:
                    item = f"{item:<40}# {'why: ' if kind == 'must' else ''}{why}"
                out.append(item)
    return "\n".join(out) + "\n"


def write_expected(sub, projects):
    doc = {
        "file": sub["file"],
        "layout": sub["layout"],
        "department": sub["department"],
        "year": sub["year"],
        "money_unit": "万元",
        "projects": projects,
    }
    header = (
        f"# Expected content and reviewer labels for {sub['file']} (generated by "
        "corpus/_build/make_defects.py).\n"
        "# review: per project, [where, family]; must = any careful reviewer flags it (why: comment),\n"
        "# maybe = debatable; a finding at a place/family not listed counts as a false positive.\n"
    )
    text = yaml.dump(doc, Dumper=mc.Dumper, allow_unicode=True, sort_keys=False, width=1000)
    stem = sub["file"].rsplit(".", 1)[0]
    (CORPUS / f"{stem}.expected.yaml").write_text(header + text + review_text(sub), encoding="utf-8")


def build():
    for sub in SUBMISSIONS:
        path = CORPUS / sub["file"]
        if sub["layout"] == "standard":
            recs = mc.write_xlsx_per_sheet(sub, path)
            projects = mc.expected_b(sub, recs)
        else:
            written, rows = mc.write_xlsx_wide(sub, path)
            projects = mc.expected_a(sub, written, rows)
        write_expected(sub, projects)
        print(f"wrote {path.relative_to(ROOT)}")


# ---------------------------------------------------------------------------------------------
# Checking: cell positions (make_corpus.check_file), review syntax, numeric facts vs labels
# ---------------------------------------------------------------------------------------------


def close(a, b, tol=0.0051):
    return abs(a - b) <= tol


def numeric_facts(exp) -> list:
    """(project, where, 'NM'|'CP', what) that the numbers / verbatim copies demand as a must label."""
    out = []
    for p in exp["projects"]:
        i, b = p["index"], p["budget"]
        if not close(b["rate"], b["executed"] / b["annual"] * 100):
            out.append((i, "budget", "NM", "执行率 mismatch"))
        if b["executed"] > b["annual"]:
            out.append((i, "budget", "NM", "overspend"))
        if exp["layout"] == "wide":
            if "fiscal_executed" in b and not close(
                b["executed"], b["fiscal_executed"] + b.get("other_executed", 0), 0.005
            ):
                out.append((i, "budget", "NM", "合计 ≠ parts"))
            if b["rate"] < 90 and not (p["problems"] or "").strip():
                out.append((i, "problems", "NM", "low rate, no problems"))
        else:
            w = b["rate_weight"]
            if not close(b["rate_score"], round(min(w, b["executed"] / b["annual"] * w), 2), 0.011):
                out.append((i, "budget", "NM", "执行率 score ≠ rate × weight"))
            s = sum(x["score"] for x in p["indicators"]) + b["rate_score"]
            if not close(p["total_score"], s, 0.011):
                out.append((i, "score", "NM", "总分 ≠ sum"))
            for x in p["indicators"]:
                if x["score"] > x["weight"]:
                    out.append((i, f"{x['category']}.score", "NM", "得分 > 分值"))
        for x in p["indicators"]:
            t, c = mc.norm(x["target"]), mc.norm(x["completion"])
            if t and t == c and t not in mc.NA_WORDS:
                out.append((i, f"{x['category']}.completion", "CP", "completion = target"))
    return out


def check_review(exp) -> list:
    errs = []
    rv = exp.get("review") or {}
    layout_b = exp["layout"] == "standard"
    sides = {"target", "completion"} | ({"score", "reason"} if layout_b else set())
    if sorted(rv) != [p["index"] for p in exp["projects"]]:
        errs.append(f"review projects {sorted(rv)} ≠ project indexes")
    for p in exp["projects"]:
        cats = {x["category"] for x in p["indicators"]}
        r = rv.get(p["index"]) or {}
        seen = {}
        for kind in ("must", "maybe"):
            for lab in r.get(kind) or []:
                if not (isinstance(lab, list) and len(lab) == 2):
                    errs.append(f"P{p['index']} {kind}: bad label {lab!r}")
                    continue
                where, fam = lab
                if fam not in FAMILIES:
                    errs.append(f"P{p['index']} {kind}: bad family {fam}")
                if "." in where:
                    cat, side = where.split(".", 1)
                    if cat not in cats or side not in sides:
                        errs.append(f"P{p['index']} {kind}: bad place {where}")
                elif where not in FIELDS:
                    errs.append(f"P{p['index']} {kind}: bad place {where}")
                if (where, fam) in seen:
                    errs.append(f"P{p['index']}: [{where}, {fam}] listed twice ({seen[(where, fam)]}, {kind})")
                seen[(where, fam)] = kind
        for i, where, fam, what in numeric_facts(exp):
            if i == p["index"] and seen.get((where, fam)) != "must":
                errs.append(f"P{i}: {what} not labelled must [{where}, {fam}]")
    return errs


def check_why(path: Path) -> list:
    """Every must label carries a ``# why:`` comment."""
    errs, kind = [], None
    for ln in path.read_text(encoding="utf-8").split("review:", 1)[1].splitlines():
        s = ln.strip()
        if s in ("must:", "maybe:", "must: []", "maybe: []"):
            kind = s.split(":")[0]
        elif s.startswith("- [") and kind == "must" and "# why:" not in s:
            errs.append(f"must without why: {s}")
    return errs


def check() -> bool:
    ok = True
    for sub in SUBMISSIONS:
        stem = sub["file"].rsplit(".", 1)[0]
        yp = CORPUS / f"{stem}.expected.yaml"
        exp = yaml.safe_load(yp.read_text(encoding="utf-8"))
        errs = mc.check_file(yp) + check_review(exp) + check_why(yp)
        if exp["layout"] == "standard":
            import openpyxl

            wb = openpyxl.load_workbook(CORPUS / exp["file"])
            if wb.sheetnames != [p["sheet"] for p in exp["projects"]]:
                errs.append(f"sheets {wb.sheetnames}")
        n_ind = sum(len(p["indicators"]) for p in exp["projects"])
        fams = {}
        for r in exp["review"].values():
            for where, fam in r.get("must") or []:
                fams[fam] = fams.get(fam, 0) + 1
        n_may = sum(len(r.get("maybe") or []) for r in exp["review"].values())
        print(
            f"{'ok' if not errs else 'FAIL':4} {exp['file']}: {exp['layout']}, {len(exp['projects'])} projects, "
            f"{n_ind} indicators, must {sum(fams.values())} "
            f"({', '.join(f'{k} {fams.get(k, 0)}' for k in sorted(FAMILIES))}), maybe {n_may}"
        )
        for e in errs:
            print("     ", e)
        ok = ok and not errs
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only read the files back and verify them")
    args = ap.parse_args()
    if not args.check:
        build()
    sys.exit(0 if check() else 1)


if __name__ == "__main__":
    main()
