"""Chinese strings that reach the pages as data (enumeration labels, built-in role names,
fixed reasons from validators and services). Marked here so `makemessages` puts them in the
English catalogue; the pages translate them at display time with gettext / {% translate var %}.
Messages with a number or name inside (e.g. "请N分钟后再试") stay Chinese in English mode."""

from django.utils.translation import gettext_noop

USER_KINDS = [gettext_noop("个人"), gettext_noop("法人"), gettext_noop("工作人员")]

ROLE_NAMES = [
    gettext_noop("系统管理员"),
    gettext_noop("部门管理员"),
    gettext_noop("窗口人员"),
    gettext_noop("审批人员"),
    gettext_noop("12345坐席"),
    gettext_noop("承办人员"),
    gettext_noop("数据管理员"),
    gettext_noop("监察人员"),
    gettext_noop("领导"),
]

REASONS = [
    # yiwang.core.codes (GB 11643, GB 32100, GB 11714, GB/T 2260)
    gettext_noop("身份证号应为18位，前17位为数字，最后一位为数字或X"),
    gettext_noop("身份证号地址码无效"),
    gettext_noop("身份证号出生日期无效"),
    gettext_noop("身份证号校验位错误"),
    gettext_noop("统一社会信用代码应为18位"),
    gettext_noop("统一社会信用代码含非法字符（不使用I、O、S、V、Z）"),
    gettext_noop("统一社会信用代码登记管理部门代码无效"),
    gettext_noop("统一社会信用代码登记管理机关行政区划码无效"),
    gettext_noop("统一社会信用代码校验位错误"),
    gettext_noop("手机号码应为11位，以1开头"),
    # accounts services
    gettext_noop("用户名须以字母开头，由3–64位字母、数字、下划线、点或横线组成"),
    gettext_noop("该用户名已被注册"),
    gettext_noop("该手机号码已被其他账号使用"),
    gettext_noop("该身份证号已注册，请直接登录或找回密码"),
    gettext_noop("该统一社会信用代码已注册"),
    gettext_noop("该信息已被其他账号使用"),
    gettext_noop("手机号码不能为空"),
    gettext_noop("原密码不正确"),
    gettext_noop("新密码不能与原密码相同"),
    gettext_noop("令牌名称为1–64个字"),
    gettext_noop("只能查看身份证号或手机号码"),
    gettext_noop("请填写查看事由（1–200字）"),
    gettext_noop("没有查看完整个人信息的权限"),
    gettext_noop("只有个人用户可以作为经办人注册企业"),
    gettext_noop("用户名/手机号或密码错误"),
    gettext_noop("账号已停用"),
    gettext_noop("密码须包含大写字母、小写字母、数字、符号中的至少三类"),
    # yiwang.core.errors defaults
    gettext_noop("提交的内容有误"),
    gettext_noop("没有权限执行此操作"),
    gettext_noop("对象不存在或无权查看"),
    gettext_noop("数据已被他人修改，请刷新后重试"),
    gettext_noop("请求过于频繁，请稍后再试"),
]
