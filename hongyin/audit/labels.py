"""One registry of the audit action codes and their labels, in both languages.

Every action code `audit.record` writes anywhere has a label here (hongyin/audit/tests/test_labels.py scans
the sources and fails on a code without one). Workflow moves (`appeal.<action>`, `transfer.<action>`,
`development.step_<n>` ...) take their labels from the flows' Transition declarations, prefixed with the
workflow's name, so a new transition is labelled where it is declared.

Templates: `{% load audit_labels %}{{ event.action|action_label }}`."""

from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy

ACTION_LABELS = {
    # sign-in and accounts
    "auth.login": pgettext_lazy("audit", "登录"),
    "auth.logout": pgettext_lazy("audit", "退出登录"),
    "auth.login_failed": pgettext_lazy("audit", "登录失败"),
    "auth.lockout": pgettext_lazy("audit", "账号锁定"),
    "auth.otp_enroll": pgettext_lazy("audit", "绑定双因素认证"),
    "auth.otp_reset": pgettext_lazy("audit", "重置双因素认证"),
    "auth.otp_verify": pgettext_lazy("audit", "双因素认证通过"),
    "auth.otp_failed": pgettext_lazy("audit", "双因素认证失败"),
    "user.create": pgettext_lazy("audit", "创建账号"),
    "user.enable": pgettext_lazy("audit", "启用账号"),
    "user.disable": pgettext_lazy("audit", "停用账号"),
    "user.password_change": pgettext_lazy("audit", "修改密码"),
    "user.password_reset": pgettext_lazy("audit", "重置密码"),
    "role.grant": pgettext_lazy("audit", "授予角色"),
    "role.revoke": pgettext_lazy("audit", "撤销角色"),
    "api_token.create": pgettext_lazy("audit", "创建接口令牌"),
    "api_token.revoke": pgettext_lazy("audit", "吊销接口令牌"),
    "admin.add": pgettext_lazy("audit", "系统配置：新增"),
    "admin.change": pgettext_lazy("audit", "系统配置：修改"),
    "admin.delete": pgettext_lazy("audit", "系统配置：删除"),
    "notifications.preferences": pgettext_lazy("audit", "修改通知设置"),
    "personal_data.unmask": pgettext_lazy("audit", "查看完整个人信息"),
    "attachment.upload": pgettext_lazy("audit", "上传附件"),
    "crypto.rotate_field_key": pgettext_lazy("audit", "轮换字段加密密钥"),
    # audit and jobs
    "audit.export": pgettext_lazy("audit", "导出审计日志"),
    "audit.archive": pgettext_lazy("audit", "归档审计日志"),
    "job.start": pgettext_lazy("audit", "启动后台任务"),
    "job.restart": pgettext_lazy("audit", "重新运行后台任务"),
    "job.stale": pgettext_lazy("audit", "后台任务超时中止"),
    "seed.enterprises": pgettext_lazy("audit", "生成演示企业数据"),
    # organizations
    "org.create": pgettext_lazy("audit", "新建党组织"),
    "org.rename": pgettext_lazy("audit", "党组织更名"),
    "org.update": pgettext_lazy("audit", "修改党组织信息"),
    "org.move": pgettext_lazy("audit", "调整党组织隶属关系"),
    "org.merge": pgettext_lazy("audit", "合并党组织"),
    "org.dissolve": pgettext_lazy("audit", "撤销党组织"),
    "org.committee_assign": pgettext_lazy("audit", "班子成员任职"),
    "org.committee_end": pgettext_lazy("audit", "班子成员离任"),
    "org.term_start": pgettext_lazy("audit", "换届"),
    "org.committee_bulk": pgettext_lazy("audit", "批量导入班子成员"),
    "org.bulk_dates": pgettext_lazy("audit", "批量更新换届日期"),
    "orgs.import": pgettext_lazy("audit", "导入党组织"),
    "orgs.import_check": pgettext_lazy("audit", "检查党组织导入文件"),
    # members
    "member.create": pgettext_lazy("audit", "登记党员"),
    "member.update": pgettext_lazy("audit", "修改党员信息"),
    "member.convert": pgettext_lazy("audit", "预备党员转正"),
    "member.move": pgettext_lazy("audit", "党员调整组织"),
    "member.leave": pgettext_lazy("audit", "党员离开党组织"),
    "member.bulk_create": pgettext_lazy("audit", "批量登记党员"),
    "member.export": pgettext_lazy("audit", "导出党员名册"),
    "members.import": pgettext_lazy("audit", "导入党员名册"),
    "members.import_check": pgettext_lazy("audit", "检查党员名册导入文件"),
    "import.upload": pgettext_lazy("audit", "上传导入文件"),
    "import.confirm": pgettext_lazy("audit", "确认导入"),
    # development, transfers, dues
    "development.case_create": pgettext_lazy("audit", "新建发展党员档案"),
    "transfer.request": pgettext_lazy("audit", "申请组织关系转出"),
    "transfer.receive": pgettext_lazy("audit", "登记转入组织关系"),
    "transfer.letter": pgettext_lazy("audit", "打印介绍信"),
    "dues.profile_set": pgettext_lazy("audit", "设置党费基数"),
    "dues.month_open": pgettext_lazy("audit", "开启月度党费"),
    "dues.pay": pgettext_lazy("audit", "登记缴纳党费"),
    "dues.pay_bulk": pgettext_lazy("audit", "批量登记缴纳党费"),
    "dues.pay_correct": pgettext_lazy("audit", "更正党费缴纳"),
    "dues.month_close": pgettext_lazy("audit", "关闭月度党费"),
    "dues.reduction_request": pgettext_lazy("audit", "申请减免党费"),
    "dues.reduction_decide": pgettext_lazy("audit", "审批党费减免"),
    "dues.export": pgettext_lazy("audit", "导出党费"),
    # enterprises, buildings, chains
    "enterprise.create": pgettext_lazy("audit", "新增企业"),
    "enterprise.update": pgettext_lazy("audit", "修改企业信息"),
    "enterprise.bulk_create": pgettext_lazy("audit", "批量新增企业"),
    "enterprise.export": pgettext_lazy("audit", "导出企业"),
    "enterprise.link_request": pgettext_lazy("audit", "申请关联企业"),
    "enterprise.link_approve": pgettext_lazy("audit", "同意关联企业"),
    "enterprise.link_refuse": pgettext_lazy("audit", "拒绝关联企业"),
    "enterprises.import": pgettext_lazy("audit", "导入企业"),
    "buildings.import": pgettext_lazy("audit", "导入楼宇"),
    "units.import": pgettext_lazy("audit", "导入房间"),
    "figures.import": pgettext_lazy("audit", "导入楼宇经济数据"),
    "building.create": pgettext_lazy("audit", "新增楼宇"),
    "building.figure": pgettext_lazy("audit", "登记楼宇经济数据"),
    "floor.create": pgettext_lazy("audit", "新增楼层"),
    "unit.create": pgettext_lazy("audit", "新增房间"),
    "lease.create": pgettext_lazy("audit", "登记租赁"),
    "chain.create": pgettext_lazy("audit", "新建产业链"),
    "chain.node_create": pgettext_lazy("audit", "新增产业链环节"),
    "chain.enterprise_add": pgettext_lazy("audit", "企业加入产业链"),
    "chain.enterprise_remove": pgettext_lazy("audit", "企业移出产业链"),
    "chain.platform_create": pgettext_lazy("audit", "新增产业链平台"),
    "chain.platform_update": pgettext_lazy("audit", "修改产业链平台"),
    "chain.platform_delete": pgettext_lazy("audit", "删除产业链平台"),
    "incubation.base_create": pgettext_lazy("audit", "新建孵化基地"),
    "incubation.add": pgettext_lazy("audit", "企业入驻孵化基地"),
    "incubation.graduate": pgettext_lazy("audit", "企业孵化毕业"),
    "grid.cell_create": pgettext_lazy("audit", "新建网格"),
    "grid.building_assign": pgettext_lazy("audit", "楼宇划入网格"),
    "grid.floor_assign": pgettext_lazy("audit", "楼层划入网格"),
    "grid.enterprise_assign": pgettext_lazy("audit", "企业划入网格"),
    "grid.instructors_assign": pgettext_lazy("audit", "指派党建指导员"),
    # appeals, policies
    "appeal.submit": pgettext_lazy("audit", "提交诉求"),
    "appeal.sla_sweep": pgettext_lazy("audit", "诉求期限巡检"),
    "visit.record": pgettext_lazy("audit", "登记走访"),
    "department.supervisors": pgettext_lazy("audit", "设置部门督办人"),
    "calendar.confirm_year": pgettext_lazy("audit", "确认年度工作日历"),
    "policy.create": pgettext_lazy("audit", "发布政策"),
    "policy.update": pgettext_lazy("audit", "修改政策"),
    "policy.push": pgettext_lazy("audit", "推送政策"),
    "policy.read": pgettext_lazy("audit", "企业阅读政策"),
    "policy.applied": pgettext_lazy("audit", "企业申报政策"),
    "briefing.create": pgettext_lazy("audit", "登记政策宣讲"),
    # organizational life
    "meeting.create": pgettext_lazy("audit", "登记会议"),
    "meeting.update": pgettext_lazy("audit", "修改会议记录"),
    # supply-demand matching
    "matching_post.create": pgettext_lazy("audit", "发布供需信息"),
    "matching_contact.request": pgettext_lazy("audit", "发起供需对接"),
    "matching_deal.record": pgettext_lazy("audit", "登记供需成交"),
    "meeting.photo": pgettext_lazy("audit", "上传会议附件"),
    "meeting.bulk_create": pgettext_lazy("audit", "批量登记会议"),
    "orglife.frequency_set": pgettext_lazy("audit", "修改组织生活频次要求"),
    "orglife.exemption_add": pgettext_lazy("audit", "登记组织生活豁免"),
    # roadshows and one-stop services
    "roadshow.create": pgettext_lazy("audit", "新建路演活动"),
    "roadshow.update": pgettext_lazy("audit", "修改路演活动"),
    "roadshow.presentation_add": pgettext_lazy("audit", "添加路演项目"),
    "roadshow.presentation_remove": pgettext_lazy("audit", "移除路演项目"),
    "roadshow.invite": pgettext_lazy("audit", "邀请路演机构"),
    "roadshow.register": pgettext_lazy("audit", "登记路演报名"),
    "roadshow.attend": pgettext_lazy("audit", "路演现场签到"),
    "roadshow.checkin": pgettext_lazy("audit", "路演扫码签到"),
    "roadshow.outcome_record": pgettext_lazy("audit", "登记路演成果"),
    "service_request.create": pgettext_lazy("audit", "申请一站式服务"),
    "package_request.create": pgettext_lazy("audit", "申请服务包"),
    "orglife.exemption_remove": pgettext_lazy("audit", "取消组织生活豁免"),
    # study
    "study.material_create": pgettext_lazy("audit", "发布学习资料"),
    "study.course_create": pgettext_lazy("audit", "新建学习课程"),
    "study.assign": pgettext_lazy("audit", "布置学习任务"),
    "study.start": pgettext_lazy("audit", "开始学习资料"),
    "study.finish": pgettext_lazy("audit", "完成学习资料"),
    "study.required_hours": pgettext_lazy("audit", "设置年度学时要求"),
    "study.note": pgettext_lazy("audit", "保存学习笔记"),
    "study.note_delete": pgettext_lazy("audit", "删除学习笔记"),
    "study.thread_create": pgettext_lazy("audit", "发起学习研讨"),
    "study.post": pgettext_lazy("audit", "研讨发言"),
    "study.reply": pgettext_lazy("audit", "研讨回复"),
    "study.post_hide": pgettext_lazy("audit", "屏蔽研讨发言"),
    "study.progress_bulk": pgettext_lazy("audit", "批量登记学习进度"),
    "study.posts_bulk": pgettext_lazy("audit", "批量登记研讨发言"),
    "orglife.guide_save": pgettext_lazy("audit", "保存组织生活指南"),
    "orglife.guide_publish": pgettext_lazy("audit", "发布组织生活指南"),
    "orglife.guide_sweep": pgettext_lazy("audit", "组织生活指南提醒巡检"),
    "points.ruleset_create": pgettext_lazy("audit", "发布积分规则版本"),
    "points.settings": pgettext_lazy("audit", "修改积分设置"),
    "points.adjust": pgettext_lazy("audit", "人工调整积分"),
    "checkup.questionnaire": pgettext_lazy("audit", "发布党性体检问卷"),
    "checkup.save": pgettext_lazy("audit", "保存党性体检"),
    "checkup.submit": pgettext_lazy("audit", "提交党性体检"),
    "checkup.review": pgettext_lazy("audit", "评议党性体检"),
    # quizzes
    "quiz.question_create": pgettext_lazy("audit", "新增试题"),
    "quiz.question_update": pgettext_lazy("audit", "修改试题"),
    "quiz.question_enable": pgettext_lazy("audit", "启用试题"),
    "quiz.question_disable": pgettext_lazy("audit", "停用试题"),
    "quiz.question_import": pgettext_lazy("audit", "导入试题"),
    "quiz.paper_create": pgettext_lazy("audit", "发布试卷"),
    "quiz.paper_close": pgettext_lazy("audit", "截止试卷"),
    "quiz.attempt_start": pgettext_lazy("audit", "开始答题"),
    "quiz.attempt_submit": pgettext_lazy("audit", "交卷"),
    "quiz.answer_grade": pgettext_lazy("audit", "简答题评分"),
    "activity.publish": pgettext_lazy("audit", "发布活动"),
    "activity.update": pgettext_lazy("audit", "修改活动"),
    "activity.cancel": pgettext_lazy("audit", "取消活动"),
    "activity.bulk_create": pgettext_lazy("audit", "批量登记活动"),
    "activity.signup": pgettext_lazy("audit", "活动报名"),
    "activity.signup_cancel": pgettext_lazy("audit", "取消活动报名"),
    "activity.checkin": pgettext_lazy("audit", "活动签到"),
    "activity.checkout": pgettext_lazy("audit", "活动签退"),
    "activity.photo": pgettext_lazy("audit", "上传活动照片"),
    "activity.summary": pgettext_lazy("audit", "填写活动总结"),
    "credit.apply": pgettext_lazy("audit", "申请增信贷款"),
    "offer.publish": pgettext_lazy("audit", "发布合作伙伴优惠"),
    "offer.withdraw": pgettext_lazy("audit", "撤回合作伙伴优惠"),
    "priority_ticket.open": pgettext_lazy("audit", "开具优先服务单"),
    "priority_ticket.savings": pgettext_lazy("audit", "登记节省金额"),
}

# The workflows whose moves are audited as "<key>.<action>", and the name their labels are prefixed with.
WORKFLOW_NAMES = {
    "appeal": pgettext_lazy("audit", "诉求"),
    "transfer": pgettext_lazy("audit", "组织关系转接"),
    "development": pgettext_lazy("audit", "发展党员"),
    "meeting": pgettext_lazy("audit", "会议记录"),
    "matching_post": pgettext_lazy("audit", "供需信息"),
    "matching_contact": pgettext_lazy("audit", "供需对接请求"),
    "roadshow": pgettext_lazy("audit", "路演活动"),
    "roadshow_outcome": pgettext_lazy("audit", "路演成果"),
}


def workflows() -> list:
    """The declared workflows: each registers itself with the engine when its app's services load (at start-up)."""
    from hongyin.workflows.engine import WORKFLOWS

    return list(WORKFLOWS.values())


def import_kinds() -> dict:
    """The import pipeline's kinds (hongyin.imports): each run is audited as "<key>.import" / "<key>.import_check"."""
    try:
        from hongyin.imports.registry import KINDS
    except ImportError:
        return {}
    return KINDS


def all_codes() -> set[str]:
    """Every code with a label: the fixed ones, every workflow move, every import kind's run and check."""
    codes = set(ACTION_LABELS)
    for flow in workflows():
        codes.update(f"{flow.key}.{action}" for action in flow.by_action)
    codes.update(f"{key}.{suffix}" for key in import_kinds() for suffix in ("import", "import_check"))
    return codes


def has_label(code: str) -> bool:
    return code in all_codes()


def action_label(code: str) -> str:
    """The label of an action code in the active language; an unknown code reads as "other action"."""
    code = code or ""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    key, _sep, action = code.partition(".")
    if key in WORKFLOW_NAMES:
        for flow in workflows():
            if flow.key == key and action in flow.by_action:
                return gettext("%(w)s：%(a)s") % {"w": WORKFLOW_NAMES[key], "a": flow.label(action)}
    kind = import_kinds().get(key)
    if kind is not None and action in ("import", "import_check"):
        template = gettext("导入：%(t)s") if action == "import" else gettext("检查导入文件：%(t)s")
        return template % {"t": kind.title}
    return gettext("其他操作")


action_label_lazy = lazy(action_label, str)


def action_choices() -> list[tuple[str, str]]:
    """(code, label) for a filter's select, sorted by label."""
    return sorted(((c, action_label(c)) for c in all_codes()), key=lambda c: c[1])
