<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>labels</name>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>审查组已备案</source>
        <translation>Team filed</translation>
    </message>
    <message>
        <source>实地核查中</source>
        <translation>On-site review</translation>
    </message>
    <message>
        <source>核查合格</source>
        <translation>Review passed</translation>
    </message>
    <message>
        <source>核查不合格</source>
        <translation>Review failed</translation>
    </message>
    <message>
        <source>已抽样封样</source>
        <translation>Sampled and sealed</translation>
    </message>
    <message>
        <source>已签发</source>
        <translation>Signed off</translation>
    </message>
    <message>
        <source>组长</source>
        <translation>Team leader</translation>
    </message>
    <message>
        <source>组员</source>
        <translation>Team member</translation>
    </message>
    <message>
        <source>技术机构</source>
        <translation>Technical institution</translation>
    </message>
    <message>
        <source>行业协会</source>
        <translation>Industry association</translation>
    </message>
    <message>
        <source>省级质量技术监督局</source>
        <translation>Provincial quality and technical supervision bureau</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Acceptance</translation>
    </message>
    <message>
        <source>实地核查</source>
        <translation>On-site review</translation>
    </message>
    <message>
        <source>产品检验</source>
        <translation>Product inspection</translation>
    </message>
    <message>
        <source>符合</source>
        <translation>Conforms</translation>
    </message>
    <message>
        <source>基本符合</source>
        <translation>Largely conforms</translation>
    </message>
    <message>
        <source>不符合</source>
        <translation>Does not conform</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <source>生产许可证实地核查</source>
        <translation>Production Licence On-site Review</translation>
    </message>
    <message>
        <source>申请编号</source>
        <translation>Application no.</translation>
    </message>
    <message>
        <source>企业名称</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>产品单元</source>
        <translation>Product unit</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>核查期限</source>
        <translation>Review deadline</translation>
    </message>
    <message>
        <source>（已超期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <source>（逾期作出结论）</source>
        <translation> (concluded late)</translation>
    </message>
    <message>
        <source>审查员：</source>
        <translation>Reviewer: </translation>
    </message>
    <message>
        <source>未指定（只读）</source>
        <translation>none (read-only)</translation>
    </message>
    <message>
        <source>共 {count} 件审查任务</source>
        <translation>Review cases: {count}</translation>
    </message>
</context>
</TS>
