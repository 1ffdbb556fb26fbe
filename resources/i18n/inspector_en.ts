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
        <source>记录已损坏</source>
        <translation>Record damaged</translation>
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
    <message>
        <source>{name}（{unit}）</source>
        <translation>{name} ({unit})</translation>
    </message>
    <message>
        <source>{reviewer}&#x3000;{count}</source>
        <translation>{reviewer} · {count}</translation>
    </message>
    <message>
        <source>显示 {shown} 件，共 {count} 件审查任务</source>
        <translation>Showing {shown} of {count} review cases</translation>
    </message>
    <message>
        <source>审查任务列表</source>
        <translation>Review cases</translation>
    </message>
    <message>
        <source>搜索企业名称、申请编号或产品</source>
        <translation>Search enterprise, application no. or product</translation>
    </message>
    <message>
        <source>搜索案件</source>
        <translation>Search cases</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>按状态筛选</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>只看我参加的(&amp;M)</source>
        <translation>&amp;Mine only</translation>
    </message>
    <message>
        <source>登录后才能只看自己参加的案件。</source>
        <translation>Sign in to list only the cases you are on.</translation>
    </message>
    <message>
        <source>紧急的排在前面(&amp;U)</source>
        <translation>&amp;Urgent first</translation>
    </message>
    <message>
        <source>已超期和逾期作出结论的案件排在最前面。</source>
        <translation>List overdue and late-concluded cases first.</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <source>导入案件文件(&amp;I)…</source>
        <translation>&amp;Import case file…</translation>
    </message>
    <message>
        <source>导入一个案件文件（.json），按规则逐步重放；也可把文件拖到窗口上。</source>
        <translation>Import a case file (.json), replayed through the rules; or drop the file on the window.</translation>
    </message>
    <message>
        <source>导入需要登录的审查员：请先登录（文件 → 登录/切换审查员）。</source>
        <translation>Importing needs a signed-in reviewer: sign in first (File → Sign in / switch reviewer).</translation>
    </message>
    <message>
        <source>正在导入另一个文件，请等它完成。</source>
        <translation>Another file is being imported; wait for it to finish.</translation>
    </message>
    <message>
        <source>登录/切换审查员(&amp;S)…</source>
        <translation>&amp;Sign in / switch reviewer…</translation>
    </message>
    <message>
        <source>刷新列表(&amp;R)</source>
        <translation>&amp;Refresh list</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>导入案件文件</source>
        <translation>Import case file</translation>
    </message>
    <message>
        <source>案件文件 (*.json)</source>
        <translation>Case files (*.json)</translation>
    </message>
    <message>
        <source>正在导入 {name}…</source>
        <translation>Importing {name}…</translation>
    </message>
    <message>
        <source>已导入案件 {application_no}（{name}）</source>
        <translation>Imported case {application_no} ({name})</translation>
    </message>
    <message>
        <source>未导入 {name}，工作区未作任何更改：{message}</source>
        <translation>{name} was not imported; the workspace is unchanged: {message}</translation>
    </message>
    <message>
        <source>无法读取文件：{reason}</source>
        <translation>Cannot read the file: {reason}</translation>
    </message>
    <message>
        <source>导入时发生意外错误（{kind}）：{message}</source>
        <translation>Unexpected error while importing ({kind}): {message}</translation>
    </message>
    <message>
        <source>只能把一个案件文件（.json）拖到窗口上。</source>
        <translation>Drop a single case file (.json) on the window.</translation>
    </message>
    <message>
        <source>登录：选择审查员</source>
        <translation>Sign in: choose the reviewer</translation>
    </message>
    <message>
        <source>您是哪一位审查员？同名的审查员请按所在单位和证书编号区分。</source>
        <translation>Which reviewer are you? Tell namesakes apart by unit and certificate number.</translation>
    </message>
    <message>
        <source>本工作区的审查员名册是空的（可用 inspector reviewer add 登记），只能只读继续。</source>
        <translation>This workspace&apos;s reviewer registry is empty (add reviewers with inspector reviewer add); you can only continue read-only.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>所在单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>证书编号</source>
        <translation>Certificate no.</translation>
    </message>
    <message>
        <source>审查员名册</source>
        <translation>Reviewer registry</translation>
    </message>
    <message>
        <source>登录(&amp;L)</source>
        <translation>Sign &amp;in</translation>
    </message>
    <message>
        <source>只读继续(&amp;R)</source>
        <translation>Continue &amp;read-only</translation>
    </message>
    <message>
        <source>新建案件(&amp;N)…</source>
        <translation>&amp;New case…</translation>
    </message>
    <message>
        <source>手工登记一件已受理的申请：企业、申请编号、产品单元和日期。</source>
        <translation>Record an accepted application by hand: the enterprise, application number, product unit and dates.</translation>
    </message>
    <message>
        <source>新建案件需要登录的审查员：请先登录（文件 → 登录/切换审查员）。</source>
        <translation>Creating a case needs a signed-in reviewer: sign in first (File → Sign in / switch reviewer).</translation>
    </message>
    <message>
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <source>已新建案件 {application_no}（{enterprise}）</source>
        <translation>Created case {application_no} ({enterprise})</translation>
    </message>
    <message>
        <source>申请企业</source>
        <translation>Applicant enterprise</translation>
    </message>
    <message>
        <source>申请</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>企业名称(&amp;E)</source>
        <translation>&amp;Enterprise name</translation>
    </message>
    <message>
        <source>统一社会信用代码(&amp;C)</source>
        <translation>Unified social &amp;credit code</translation>
    </message>
    <message>
        <source>校验通过</source>
        <translation>Check character correct</translation>
    </message>
    <message>
        <source>地址(&amp;D)</source>
        <translation>A&amp;ddress</translation>
    </message>
    <message>
        <source>联系人(&amp;P)</source>
        <translation>Contact &amp;person</translation>
    </message>
    <message>
        <source>联系电话(&amp;T)</source>
        <translation>&amp;Telephone</translation>
    </message>
    <message>
        <source>申请编号(&amp;A)</source>
        <translation>&amp;Application number</translation>
    </message>
    <message>
        <source>产品名称(&amp;R)</source>
        <translation>P&amp;roduct</translation>
    </message>
    <message>
        <source>产品单元(&amp;U)</source>
        <translation>Product &amp;unit</translation>
    </message>
    <message>
        <source>{unit} — {title}（第 {version} 版）</source>
        <translation>{unit} — {title} (version {version})</translation>
    </message>
    <message>
        <source>工作区中没有已安装的核查表（inspector forms import 可导入），无法新建案件。</source>
        <translation>No checklist form is installed in the workspace (inspector forms import installs one): a case cannot be created.</translation>
    </message>
    <message>
        <source>受理日期(&amp;O)</source>
        <translation>Accepted &amp;on</translation>
    </message>
    <message>
        <source>计划核查日期(&amp;V)</source>
        <translation>Planned re&amp;view date</translation>
    </message>
    <message>
        <source>有资质的检验机构(&amp;G)</source>
        <translation>Qualified inspection a&amp;gencies</translation>
    </message>
    <message>
        <source>每行一个检验机构</source>
        <translation>One agency per line</translation>
    </message>
    <message>
        <source>未保存，工作区未作任何更改：</source>
        <translation>Not saved; the workspace is unchanged:</translation>
    </message>
    <message>
        <source>审查组：{application_no}&#x3000;{enterprise}</source>
        <translation>Review team: {application_no}  {enterprise}</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>廉洁承诺</source>
        <translation>Integrity declaration</translation>
    </message>
    <message>
        <source>审查组成员</source>
        <translation>Team members</translation>
    </message>
    <message>
        <source>已签署</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>未签署</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>审查员(&amp;W)</source>
        <translation>Revie&amp;wer</translation>
    </message>
    <message>
        <source>{name}（{unit}，证书 {certificate}）</source>
        <translation>{name} ({unit}, certificate {certificate})</translation>
    </message>
    <message>
        <source>角色(&amp;L)</source>
        <translation>Ro&amp;le</translation>
    </message>
    <message>
        <source>加入审查组(&amp;J)</source>
        <translation>&amp;Join the team</translation>
    </message>
    <message>
        <source>审查组组成符合要求。</source>
        <translation>The team&apos;s composition meets the rules.</translation>
    </message>
    <message>
        <source>错误：{message}</source>
        <translation>Error: {message}</translation>
    </message>
    <message>
        <source>提醒：{message}</source>
        <translation>Warning: {message}</translation>
    </message>
    <message>
        <source>尚未备案。</source>
        <translation>Not filed yet.</translation>
    </message>
    <message>
        <source>已备案（{filed_at}）。</source>
        <translation>Filed ({filed_at}).</translation>
    </message>
    <message>
        <source>备案已失效：审查组在备案后有变动，请重新备案。</source>
        <translation>The filing is void: the team changed after it was filed. File it again.</translation>
    </message>
    <message>
        <source>备案(&amp;F)</source>
        <translation>&amp;File the team</translation>
    </message>
    <message>
        <source>重新备案(&amp;F)</source>
        <translation>&amp;File the team again</translation>
    </message>
    <message>
        <source>我的廉洁承诺</source>
        <translation>My integrity declaration</translation>
    </message>
    <message>
        <source>不参与有偿咨询</source>
        <translation>I take no part in paid consulting</translation>
    </message>
    <message>
        <source>不在被审查企业兼职</source>
        <translation>I hold no part-time job at the enterprise under review</translation>
    </message>
    <message>
        <source>不索取、收受财物和不正当利益</source>
        <translation>I neither ask for nor accept money, gifts or undue benefits</translation>
    </message>
    <message>
        <source>签署廉洁承诺(&amp;S)</source>
        <translation>&amp;Sign the declaration</translation>
    </message>
    <message>
        <source>只有审查组成员本人才能签署自己的廉洁承诺；您不是本审查组成员。</source>
        <translation>Only a member signs their own declaration; you are not on this team.</translation>
    </message>
    <message>
        <source>您已签署廉洁承诺（{signed_at}）。</source>
        <translation>You signed your declaration ({signed_at}).</translation>
    </message>
    <message>
        <source>请勾选全部三项承诺后签署。</source>
        <translation>Tick all three promises, then sign.</translation>
    </message>
    <message>
        <source>更改审查组需要登录的审查员：请先登录。</source>
        <translation>Changing the team needs a signed-in reviewer: sign in first.</translation>
    </message>
    <message>
        <source>抽样封样：{application_no}&#x3000;{enterprise}</source>
        <translation>Sampling and sealing: {application_no}&#x3000;{enterprise}</translation>
    </message>
    <message>
        <source>暂不能抽样封样：{reason}</source>
        <translation>Sampling is not possible yet: {reason}</translation>
    </message>
    <message>
        <source>只读：记录抽样单需要登录的审查员（主窗口：文件 → 登录/切换审查员）。</source>
        <translation>Read-only: recording samples needs a signed-in reviewer (main window: File → Sign in / switch reviewer).</translation>
    </message>
    <message>
        <source>抽样单</source>
        <translation>Sampling record</translation>
    </message>
    <message>
        <source>产品名称(&amp;N)</source>
        <translation>Product &amp;name</translation>
    </message>
    <message>
        <source>型号规格(&amp;M)</source>
        <translation>&amp;Model / specification</translation>
    </message>
    <message>
        <source>批号或生产日期(&amp;B)</source>
        <translation>&amp;Batch no. or production date</translation>
    </message>
    <message>
        <source>抽样基数(&amp;Q)</source>
        <translation>Base &amp;quantity</translation>
    </message>
    <message>
        <source>样品数量(&amp;U)</source>
        <translation>Sample q&amp;uantity</translation>
    </message>
    <message>
        <source>备样数量(&amp;V)</source>
        <translation>Reser&amp;ve quantity</translation>
    </message>
    <message>
        <source>抽样地点(&amp;L)</source>
        <translation>Sampling p&amp;lace</translation>
    </message>
    <message>
        <source>抽样时间(&amp;T)</source>
        <translation>Sampled a&amp;t</translation>
    </message>
    <message>
        <source>抽样人</source>
        <translation>Samplers</translation>
    </message>
    <message>
        <source>企业代表(&amp;E)</source>
        <translation>&amp;Enterprise representative</translation>
    </message>
    <message>
        <source>检验机构(&amp;I)</source>
        <translation>&amp;Inspection agency</translation>
    </message>
    <message>
        <source>检验机构（由企业选择）</source>
        <translation>Inspection agency (chosen by the enterprise)</translation>
    </message>
    <message>
        <source>请企业从有资质的检验机构中选择</source>
        <translation>The enterprise chooses from the qualified agencies</translation>
    </message>
    <message>
        <source>企业已自行选择该检验机构（审查组未指定）(&amp;C)</source>
        <translation>The enterprise &amp;chose this agency itself (not the team)</translation>
    </message>
    <message>
        <source>检验机构到现场检验，不送样(&amp;O)</source>
        <translation>The agency tests &amp;on site (no samples sent)</translation>
    </message>
    <message>
        <source>样品送达期限：{date}（封样之日起 7 日内送达检验机构）</source>
        <translation>Send samples by: {date} (to the agency within 7 days of sealing)</translation>
    </message>
    <message>
        <source>样品送达期限：{date}（已逾期）</source>
        <translation>Send samples by: {date} (overdue)</translation>
    </message>
    <message>
        <source>检验机构现场检验，无需送样。</source>
        <translation>The agency tests on site: no samples to send.</translation>
    </message>
    <message>
        <source>封条</source>
        <translation>Seals</translation>
    </message>
    <message>
        <source>封条编号</source>
        <translation>Seal number</translation>
    </message>
    <message>
        <source>添加封条(&amp;A)</source>
        <translation>&amp;Add seal</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>照片…</source>
        <translation>Photo…</translation>
    </message>
    <message>
        <source>无照片
可拖放到此</source>
        <translation>No photo
drop here</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>尚未添加封条：输入封条编号后点“添加封条”，再为每个封条添加照片。</source>
        <translation>No seals yet: type a seal number, click “Add seal”, then add a photo of each seal.</translation>
    </message>
    <message>
        <source>请拖放一张照片（JPEG 或 PNG 文件）。</source>
        <translation>Drop one photo (a JPEG or PNG file).</translation>
    </message>
    <message>
        <source>保存抽样单(&amp;S)</source>
        <translation>&amp;Save sampling record</translation>
    </message>
    <message>
        <source>已记录的抽样单（只读）</source>
        <translation>Recorded sampling record (read-only)</translation>
    </message>
    <message>
        <source>封条编号：{seal_no}</source>
        <translation>Seal number: {seal_no}</translation>
    </message>
    <message>
        <source>{agency}（企业自行选择）</source>
        <translation>{agency} (chosen by the enterprise)</translation>
    </message>
    <message>
        <source>企业填写反馈表 — {stage}</source>
        <translation>Enterprise feedback form — {stage}</translation>
    </message>
    <message>
        <source>本表由企业人员填写。提交后内容即加密密封，只有许可证审查中心能够打开；审查组无法查看或修改。</source>
        <translation>This form is filled in by the enterprise. On submitting, it is encrypted and sealed at once: only the licence review centre can open it; the review team can neither read nor change it.</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>填表人（企业人员）</source>
        <translation>Filled in by (enterprise staff)</translation>
    </message>
    <message>
        <source>提交并密封(&amp;S)</source>
        <translation>&amp;Submit and seal</translation>
    </message>
    <message>
        <source>{stage}阶段的反馈表已由企业填写并密封（{sealed_at}），审查组无法查看。</source>
        <translation>The enterprise filled in and sealed the feedback form of the {stage} stage ({sealed_at}); the team cannot read it.</translation>
    </message>
    <message>
        <source>请企业填写反馈表…</source>
        <translation>Let the enterprise fill in the feedback form…</translation>
    </message>
    <message>
        <source>同步(&amp;Y)</source>
        <translation>S&amp;ync</translation>
    </message>
    <message>
        <source>● 中心在线</source>
        <translation>● Office online</translation>
    </message>
    <message>
        <source>○ 离线</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>未登记到中心</source>
        <translation>Not enrolled with the office</translation>
    </message>
    <message>
        <source>待上传 {count} 项</source>
        <translation>{count} to send</translation>
    </message>
    <message>
        <source>上次同步：{when}</source>
        <translation>Last sync: {when}</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>同步完成：上传 {pushed} 项，下载 {pulled} 项，冲突 {conflicts} 项</source>
        <translation>Synced: {pushed} sent, {pulled} received, {conflicts} conflicts</translation>
    </message>
    <message>
        <source>同步未完成：{reason}</source>
        <translation>Sync not finished: {reason}</translation>
    </message>
    <message>
        <source>同步口令</source>
        <translation>Sync passphrase</translation>
    </message>
    <message>
        <source>请输入登记审查员的口令（与签名身份共用，用于打开本机的同步令牌）：</source>
        <translation>The enrolled reviewer&apos;s passphrase (the same as for their signing identity; it opens this laptop&apos;s sync token):</translation>
    </message>
    <message>
        <source>取消同步</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <source>手写签名：{application_no}&#x3000;{enterprise}</source>
        <translation>Handwritten signatures: {application_no}&#x3000;{enterprise}</translation>
    </message>
    <message>
        <source>审查组备案表</source>
        <translation>Team filing record</translation>
    </message>
    <message>
        <source>廉洁承诺书</source>
        <translation>Integrity declaration</translation>
    </message>
    <message>
        <source>企业实地核查报告</source>
        <translation>On-site review report</translation>
    </message>
    <message>
        <source>抽样单 / 封样记录</source>
        <translation>Sampling and sealing record</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>签字人</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>签字情况</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>各文书的签字人及签字情况</source>
        <translation>Who signs each document, and who has signed</translation>
    </message>
    <message>
        <source>企业代表</source>
        <translation>Enterprise representative</translation>
    </message>
    <message>
        <source>企业代表：{name}</source>
        <translation>Enterprise representative: {name}</translation>
    </message>
    <message>
        <source>已签（{signed_at}）</source>
        <translation>Signed ({signed_at})</translation>
    </message>
    <message>
        <source>未签</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>签署的文书(&amp;D)</source>
        <translation>&amp;Document to sign</translation>
    </message>
    <message>
        <source>签字人(&amp;W)</source>
        <translation>&amp;Who signs</translation>
    </message>
    <message>
        <source>企业代表姓名(&amp;N)</source>
        <translation>Representative&apos;s &amp;name</translation>
    </message>
    <message>
        <source>签名板</source>
        <translation>Signature pad</translation>
    </message>
    <message>
        <source>请在此处签名：鼠标、手写笔或手指均可；Delete 键清除。</source>
        <translation>Sign here with a mouse, a pen or a finger; Delete clears.</translation>
    </message>
    <message>
        <source>清除(&amp;C)</source>
        <translation>&amp;Clear</translation>
    </message>
    <message>
        <source>保存签名(&amp;S)</source>
        <translation>&amp;Save signature</translation>
    </message>
    <message>
        <source>已保存{signer}在“{document}”上的签名。</source>
        <translation>Saved the signature of {signer} on “{document}”.</translation>
    </message>
    <message>
        <source>记录手写签名需要登录的审查组成员：请先登录。</source>
        <translation>Recording a handwritten signature needs a team member signed in: please sign in first.</translation>
    </message>
    <message>
        <source>本案目前没有需要签字的文书。</source>
        <translation>No document of this case needs a signature yet.</translation>
    </message>
    <message>
        <source>组长签发</source>
        <translation>Leader&apos;s sign-off</translation>
    </message>
    <message>
        <source>企业与申请：{application_no}&#x3000;{enterprise}</source>
        <translation>Enterprise and application: {application_no}  {enterprise}</translation>
    </message>
    <message>
        <source>受理时记录的内容（只读）。</source>
        <translation>As recorded at acceptance (read-only).</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact person</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>产品名称</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>核查表及版本</source>
        <translation>Checklist form and version</translation>
    </message>
    <message>
        <source>{title}（{form_id}，第 {version} 版）</source>
        <translation>{title} ({form_id}, version {version})</translation>
    </message>
    <message>
        <source>受理日期</source>
        <translation>Accepted on</translation>
    </message>
    <message>
        <source>计划实地核查日期</source>
        <translation>Planned on-site review date</translation>
    </message>
    <message>
        <source>有资质的检验机构</source>
        <translation>Qualified inspection agencies</translation>
    </message>
    <message>
        <source>（未列出）</source>
        <translation>(none listed)</translation>
    </message>
    <message>
        <source>实地核查期限</source>
        <translation>On-site deadline</translation>
    </message>
    <message>
        <source>暂不能进行：{reason}</source>
        <translation>Not possible yet: {reason}</translation>
    </message>
    <message>
        <source>记录需要登录的审查员：请先登录。</source>
        <translation>Recording needs a signed-in reviewer: please sign in first.</translation>
    </message>
    <message>
        <source>反馈表：{application_no}&#x3000;{enterprise}</source>
        <translation>Feedback form: {application_no}  {enterprise}</translation>
    </message>
    <message>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>交付情况</source>
        <translation>Hand-over</translation>
    </message>
    <message>
        <source>交付时间</source>
        <translation>Handed over at</translation>
    </message>
    <message>
        <source>接收人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <source>交付人</source>
        <translation>Handed over by</translation>
    </message>
    <message>
        <source>各阶段反馈表交付情况</source>
        <translation>Feedback form hand-overs by stage</translation>
    </message>
    <message>
        <source>已交付</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <source>迟交（阶段开始后才交付）</source>
        <translation>Late (handed over after the stage started)</translation>
    </message>
    <message>
        <source>阶段已开始，未交付</source>
        <translation>Stage started, not handed over</translation>
    </message>
    <message>
        <source>尚未交付</source>
        <translation>Not handed over yet</translation>
    </message>
    <message>
        <source>不需交付（审查不合格，不进行产品检验）</source>
        <translation>Not owed (review failed: no product inspection)</translation>
    </message>
    <message>
        <source>记录反馈表交付</source>
        <translation>Record a feedback form hand-over</translation>
    </message>
    <message>
        <source>阶段(&amp;G)</source>
        <translation>Sta&amp;ge</translation>
    </message>
    <message>
        <source>接收的企业负责人(&amp;N)</source>
        <translation>E&amp;nterprise head receiving it</translation>
    </message>
    <message>
        <source>交付时间(&amp;M)</source>
        <translation>Ti&amp;me</translation>
    </message>
    <message>
        <source>{name}（{unit}，本人）</source>
        <translation>{name} ({unit}, yourself)</translation>
    </message>
    <message>
        <source>记录交付(&amp;R)</source>
        <translation>&amp;Record hand-over</translation>
    </message>
    <message>
        <source>反馈表交付由交付的审查组成员本人记录；您不是本审查组成员。</source>
        <translation>A hand-over is recorded by the team member who made it; you are not on this team.</translation>
    </message>
    <message>
        <source>已记录“{stage}”阶段的反馈表交付。</source>
        <translation>Hand-over for the “{stage}” stage recorded.</translation>
    </message>
    <message>
        <source>企业意见：{application_no}&#x3000;{enterprise}</source>
        <translation>Enterprise opinion: {application_no}  {enterprise}</translation>
    </message>
    <message>
        <source>已记录的企业意见</source>
        <translation>Recorded opinions</translation>
    </message>
    <message>
        <source>尚未记录企业意见。</source>
        <translation>No opinion of the enterprise recorded yet.</translation>
    </message>
    <message>
        <source>{at}&#x3000;企业代表 {representative}：</source>
        <translation>{at}  representative {representative}:</translation>
    </message>
    <message>
        <source>记录企业意见或异议</source>
        <translation>Record the enterprise&apos;s opinion or objection</translation>
    </message>
    <message>
        <source>意见或异议(&amp;O)</source>
        <translation>&amp;Opinion or objection</translation>
    </message>
    <message>
        <source>企业代表(&amp;P)</source>
        <translation>Re&amp;presentative</translation>
    </message>
    <message>
        <source>记录企业意见(&amp;R)</source>
        <translation>&amp;Record opinion</translation>
    </message>
    <message>
        <source>已记录企业意见。</source>
        <translation>Opinion recorded.</translation>
    </message>
    <message>
        <source>移出审查组(&amp;X)</source>
        <translation>Remove from team (&amp;X)</translation>
    </message>
    <message>
        <source>移出审查组成员</source>
        <translation>Remove a team member</translation>
    </message>
    <message>
        <source>确定将 {name}（{unit}）移出审查组？</source>
        <translation>Remove {name} ({unit}) from the team?</translation>
    </message>
    <message>
        <source>审查组已备案：移出成员后备案失效，须重新备案后才能继续审查。</source>
        <translation>The team is filed: removing a member voids the filing; file the team again before the review goes on.</translation>
    </message>
    <message>
        <source>请先在表中选择要移出的成员。</source>
        <translation>Choose the member to remove in the table first.</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>撤销：{what}（Ctrl+Z）</source>
        <translation>Undo: {what} (Ctrl+Z)</translation>
    </message>
    <message>
        <source>重做：{what}（Ctrl+Shift+Z）</source>
        <translation>Redo: {what} (Ctrl+Shift+Z)</translation>
    </message>
    <message>
        <source>第 {code} 项判为{result}</source>
        <translation>item {code} judged {result}</translation>
    </message>
    <message>
        <source>第 {code} 项的说明</source>
        <translation>the note of item {code}</translation>
    </message>
    <message>
        <source>第 {code} 项添加照片</source>
        <translation>photos added to item {code}</translation>
    </message>
    <message>
        <source>撤回第 {code} 项的评定</source>
        <translation>item {code} taken back to no result</translation>
    </message>
    <message>
        <source>已撤销：{what}</source>
        <translation>Undone: {what}</translation>
    </message>
    <message>
        <source>已重做：{what}</source>
        <translation>Redone: {what}</translation>
    </message>
    <message>
        <source>无法撤销或重做“{what}”，已从撤销记录中移除：{reason}</source>
        <translation>Could not undo or redo “{what}”; it was removed from the undo history: {reason}</translation>
    </message>
    <message>
        <source>0 撤回评定</source>
        <translation>0 No result</translation>
    </message>
    <message>
        <source>已撤回第 {code} 项的评定，该项现为未核查。</source>
        <translation>Item {code} was taken back: it has no result now.</translation>
    </message>
    <message>
        <source>照片缩略图</source>
        <translation>Photo thumbnails</translation>
    </message>
    <message>
        <source>双击或按回车键查看大图；可把照片文件拖到这里或左侧的项目上添加。</source>
        <translation>Double-click or press Enter to view a photo large; drop photo files here or on an item on the left to add them.</translation>
    </message>
    <message>
        <source>第 {code} 项的照片 {number}/{total}</source>
        <translation>Item {code}, photo {number} of {total}</translation>
    </message>
    <message>
        <source>照片大图</source>
        <translation>Photo, large</translation>
    </message>
    <message>
        <source>照片文件 {sha} 不在工作区中。</source>
        <translation>The photo file {sha} is not in the workspace.</translation>
    </message>
    <message>
        <source>正在保存 {count} 张照片…</source>
        <translation>Saving {count} photo(s)…</translation>
    </message>
    <message>
        <source>“{name}”不是可读取的图片（JPEG 或 PNG），未添加任何照片。</source>
        <translation>“{name}” is not a readable image (JPEG or PNG); no photo was added.</translation>
    </message>
    <message>
        <source>无法读取“{name}”：{error}。未添加任何照片。</source>
        <translation>Could not read “{name}”: {error}. No photo was added.</translation>
    </message>
    <message>
        <source>照片未保存：{error}</source>
        <translation>Photos not saved: {error}</translation>
    </message>
    <message>
        <source>作出结论(&amp;C)…</source>
        <translation>&amp;Conclude…</translation>
    </message>
    <message>
        <source>暂不能作出结论：{reason}</source>
        <translation>Cannot conclude yet: {reason}</translation>
    </message>
    <message>
        <source>作出核查结论</source>
        <translation>Conclude the on-site review</translation>
    </message>
    <message>
        <source>按核查表判定，本次实地核查的结论为：{outcome}</source>
        <translation>By the checklist, the on-site review&apos;s verdict is: {outcome}</translation>
    </message>
    <message>
        <source>理由：</source>
        <translation>Reasons:</translation>
    </message>
    <message>
        <source>结论作出后，核查结果不能再修改或撤销。确定作出此结论吗？</source>
        <translation>Once concluded, the results can no longer be changed or undone. Conclude with this verdict?</translation>
    </message>
    <message>
        <source>作出结论</source>
        <translation>Conclude</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Passed</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>已作出核查结论：{outcome}。</source>
        <translation>The review was concluded: {outcome}.</translation>
    </message>
    <message>
        <source>设置(&amp;T)…</source>
        <translation>Se&amp;ttings…</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>界面语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>跟随系统</source>
        <translation>Same as the system</translation>
    </message>
    <message>
        <source>点“确定”后界面立即换成所选语言，打开的窗口停在原处（命令行的 --lang 只决定启动时的语言）。</source>
        <translation>After OK the interface changes to the chosen language at once; open windows stay where they were (--lang on the command line only sets the language at start).</translation>
    </message>
    <message>
        <source>工作区文件夹(&amp;W)</source>
        <translation>&amp;Workspace folder</translation>
    </message>
    <message>
        <source>选择(&amp;C)…</source>
        <translation>&amp;Choose…</translation>
    </message>
    <message>
        <source>选择工作区文件夹</source>
        <translation>Choose the workspace folder</translation>
    </message>
    <message>
        <source>下次启动时打开此工作区（--workspace 与 INSPECTOR_WORKSPACE 优先于此设置）。当前：{current}</source>
        <translation>The next start opens this workspace (--workspace and INSPECTOR_WORKSPACE win over this setting). Now open: {current}</translation>
    </message>
    <message>
        <source>{path} 不是一个已有的文件夹，请选择文件夹。</source>
        <translation>{path} is not an existing folder. Choose a folder.</translation>
    </message>
    <message>
        <source>{path} 不可写（没有写入权限），不能作为工作区。请选择可写的文件夹。</source>
        <translation>{path} cannot be written (no write permission), so it cannot be the workspace. Choose a folder you can write to.</translation>
    </message>
    <message>
        <source>{path} 不是工作区（其中没有 workspace.db，且文件夹不是空的）。请选择一个工作区文件夹，或一个空文件夹（下次启动时在其中新建工作区）。</source>
        <translation>{path} is not a workspace (it holds no workspace.db and is not empty). Choose a workspace folder, or an empty folder (a new workspace is made in it at the next start).</translation>
    </message>
    <message>
        <source>{path} 中的 workspace.db 不是工作区数据库（文件已损坏或不是 SQLite 文件）。</source>
        <translation>The workspace.db in {path} is not a workspace database (the file is damaged or not a SQLite file).</translation>
    </message>
    <message>
        <source>日历时区(&amp;Z)</source>
        <translation>Calendar time &amp;zone</translation>
    </message>
    <message>
        <source>工作区设置：期限与逾期按此时区的日历计算（默认 Asia/Shanghai）。更改会记入审计记录，立即生效。</source>
        <translation>A workspace setting: deadlines and lateness are counted on the calendar of this time zone (default Asia/Shanghai). A change is kept in the audit trail and applies at once.</translation>
    </message>
    <message>
        <source>更改时区需要登录的审查员（文件 → 登录/切换审查员）。</source>
        <translation>Changing the time zone needs a signed-in reviewer (File → Sign in / switch reviewer).</translation>
    </message>
    <message>
        <source>工作区以只读方式打开，不能更改时区。</source>
        <translation>The workspace is open read-only: the time zone cannot be changed.</translation>
    </message>
    <message>
        <source>设置已保存。</source>
        <translation>Settings saved.</translation>
    </message>
    <message>
        <source>程序出错</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>程序遇到了一个意外错误（这是程序的缺陷，不是您的操作有误）。之前保存的数据不受影响：每次修改都已单独保存。错误报告已写入 {log}。请复制下面的报告发给技术支持。</source>
        <translation>The program met an unexpected error (a defect of the program, not a mistake of yours). What was saved before is unaffected: each change is saved on its own. The report was written to {log}. Please copy the report below and send it to support.</translation>
    </message>
    <message>
        <source>程序遇到了一个意外错误（这是程序的缺陷，不是您的操作有误）。之前保存的数据不受影响：每次修改都已单独保存。错误报告未能写入日志文件（{log}：{reason}）。请复制下面的报告发给技术支持。</source>
        <translation>The program met an unexpected error (a defect of the program, not a mistake of yours). What was saved before is unaffected: each change is saved on its own. The report could not be written to the log file ({log}: {reason}). Please copy the report below and send it to support.</translation>
    </message>
    <message>
        <source>复制(&amp;C)</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>已复制到剪贴板。</source>
        <translation>Copied to the clipboard.</translation>
    </message>
    <message>
        <source>错误报告</source>
        <translation>Error report</translation>
    </message>
    <message>
        <source>无法读写工作区</source>
        <translation>Cannot use the workspace</translation>
    </message>
    <message>
        <source>开始实地核查(&amp;S)</source>
        <translation>&amp;Start the on-site review</translation>
    </message>
    <message>
        <source>审查组备案后开始实地核查：之后组员在此逐项记录核查结果。</source>
        <translation>Start the on-site review once the team is filed: the members then record each item&apos;s result here.</translation>
    </message>
    <message>
        <source>请先登录（本审查组成员）。</source>
        <translation>Sign in first (as a member of this team).</translation>
    </message>
    <message>
        <source>文书(&amp;D)</source>
        <translation>&amp;Documents</translation>
    </message>
    <message>
        <source>生成文书(&amp;B)…</source>
        <translation>&amp;Build a document…</translation>
    </message>
    <message>
        <source>签发(&amp;S)…</source>
        <translation>&amp;Sign off…</translation>
    </message>
    <message>
        <source>更正(&amp;A)…</source>
        <translation>&amp;Amend…</translation>
    </message>
    <message>
        <source>导出(&amp;E)…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>保存文书</source>
        <translation>Save the document</translation>
    </message>
    <message>
        <source>正在生成{title}…</source>
        <translation>Building {title}…</translation>
    </message>
    <message>
        <source>已生成{title}：{path}</source>
        <translation>{title} written: {path}</translation>
    </message>
    <message>
        <source>未能生成文书：{message}</source>
        <translation>The document was not built: {message}</translation>
    </message>
    <message>
        <source>已取消，未保存任何内容。</source>
        <translation>Cancelled; nothing was stored.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>签发和更正需要登录的审查组组长：请先登录。</source>
        <translation>Signing off and amending need the team leader signed in: sign in first.</translation>
    </message>
    <message>
        <source>签发 — {application_no}</source>
        <translation>Sign-off — {application_no}</translation>
    </message>
    <message>
        <source>每位组员依次输入本人口令签名，组长最后签发。签名在本机完成，口令不会保存。</source>
        <translation>Each member types their own passphrase in turn to sign; the leader signs off last. Signing happens on this computer; no passphrase is kept.</translation>
    </message>
    <message>
        <source>{n}. {meaning}：{name}（{unit}，证书编号 {certificate}）</source>
        <translation>{n}. {meaning}: {name} ({unit}, certificate {certificate})</translation>
    </message>
    <message>
        <source>&#x3000;✔ 口令已确认</source>
        <translation>  ✔ passphrase confirmed</translation>
    </message>
    <message>
        <source>请 {name}（{unit}）输入本人口令以{meaning}：</source>
        <translation>{name} ({unit}), type your own passphrase for {meaning}:</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>确认口令(&amp;N)</source>
        <translation>Co&amp;nfirm passphrase</translation>
    </message>
    <message>
        <source>正在生成并签名核查报告…</source>
        <translation>Building and signing the on-site report…</translation>
    </message>
    <message>
        <source>已签发：{count} 人签字，签名的核查报告已保存在工作区（SHA-256 {sha256}）。</source>
        <translation>Signed off: {count} signatures; the signed report is stored in the workspace (SHA-256 {sha256}).</translation>
    </message>
    <message>
        <source>另存签发报告(&amp;S)…</source>
        <translation>&amp;Save the signed report as…</translation>
    </message>
    <message>
        <source>更正说明 — {application_no}</source>
        <translation>Amendment — {application_no}</translation>
    </message>
    <message>
        <source>被更正的文书</source>
        <translation>Document corrected</translation>
    </message>
    <message>
        <source>更正原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>更正内容</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>组长口令</source>
        <translation>Leader&apos;s passphrase</translation>
    </message>
    <message>
        <source>签发更正说明(&amp;S)…</source>
        <translation>&amp;Sign the amendment…</translation>
    </message>
    <message>
        <source>{title}（{signed_at}，SHA-256 {sha256}…）</source>
        <translation>{title} ({signed_at}, SHA-256 {sha256}…)</translation>
    </message>
    <message>
        <source>签发的核查报告</source>
        <translation>Signed on-site report</translation>
    </message>
    <message>
        <source>更正说明</source>
        <translation>Amendment</translation>
    </message>
    <message>
        <source>正在生成并签名更正说明…</source>
        <translation>Building and signing the amendment…</translation>
    </message>
    <message>
        <source>已签发更正说明：{path}（SHA-256 {sha256}）</source>
        <translation>Amendment signed: {path} (SHA-256 {sha256})</translation>
    </message>
    <message>
        <source>导出文书</source>
        <translation>Export documents</translation>
    </message>
    <message>
        <source>导出到文件夹</source>
        <translation>Export to folder</translation>
    </message>
    <message>
        <source>浏览(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>只导出此日起有新进展的案件</source>
        <translation>Only cases with news since</translation>
    </message>
    <message>
        <source>案件状态</source>
        <translation>Case status</translation>
    </message>
    <message>
        <source>导出(&amp;E)</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>请选择导出到的文件夹。</source>
        <translation>Choose the folder to export to.</translation>
    </message>
    <message>
        <source>正在导出 {done}/{total}：{name}</source>
        <translation>Exporting {done}/{total}: {name}</translation>
    </message>
    <message>
        <source>已导出 {cases} 件案件的 {files} 个文件（新写入 {written} 个）。清单：{manifest}</source>
        <translation>Exported {files} files of {cases} cases ({written} newly written). Manifest: {manifest}</translation>
    </message>
    <message>
        <source>导出已取消：已写出的文件均完整，未写清单；再次导出会接着完成。</source>
        <translation>Export cancelled: the files written are whole, no manifest was written; exporting again finishes the job.</translation>
    </message>
    <message>
        <source>导出未完成：{message}</source>
        <translation>The export did not finish: {message}</translation>
    </message>
    <message>
        <source>同步冲突(&amp;C)…</source>
        <translation>Sync &amp;conflicts…</translation>
    </message>
    <message>
        <source>同步冲突</source>
        <translation>Sync conflicts</translation>
    </message>
    <message>
        <source>冲突 {count} 项</source>
        <translation>Conflicts: {count}</translation>
    </message>
    <message>
        <source>同步时有并发修改冲突，两个版本都已保留，等待本案组长处理。点击查看。</source>
        <translation>A sync found concurrent edits: both versions are kept until the case&apos;s team leader settles them. Click to see them.</translation>
    </message>
    <message>
        <source>没有待处理的同步冲突。</source>
        <translation>No sync conflict waits to be settled.</translation>
    </message>
    <message>
        <source>同步冲突列表</source>
        <translation>Sync conflicts</translation>
    </message>
    <message>
        <source>显示已处理的冲突(&amp;S)</source>
        <translation>&amp;Show settled conflicts</translation>
    </message>
    <message>
        <source>#{id}&#x3000;{case}&#x3000;{record}&#x3000;{origin}</source>
        <translation>#{id}  {case}  {record}  {origin}</translation>
    </message>
    <message>
        <source>#{id}&#x3000;{case}&#x3000;{record}&#x3000;{origin}（已处理）</source>
        <translation>#{id}  {case}  {record}  {origin} (settled)</translation>
    </message>
    <message>
        <source>（不属于案件）</source>
        <translation>(no case)</translation>
    </message>
    <message>
        <source>审查员</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>审查组成员信息</source>
        <translation>Team member</translation>
    </message>
    <message>
        <source>审查组备案</source>
        <translation>Team filing</translation>
    </message>
    <message>
        <source>核查结果</source>
        <translation>Checklist result</translation>
    </message>
    <message>
        <source>封条记录</source>
        <translation>Seal</translation>
    </message>
    <message>
        <source>反馈表交付</source>
        <translation>Feedback form hand-over</translation>
    </message>
    <message>
        <source>签发签名</source>
        <translation>Sign-off signature</translation>
    </message>
    <message>
        <source>密封的反馈表</source>
        <translation>Sealed feedback form</translation>
    </message>
    <message>
        <source>手写签名</source>
        <translation>Handwritten signature</translation>
    </message>
    <message>
        <source>本机同步时发现：现行版本是本机的版本，另一版本是中心传来的并发修改，已另行保留。</source>
        <translation>Found here while syncing: the version in force is this laptop&apos;s; the other version is a concurrent edit from the central office, kept apart.</translation>
    </message>
    <message>
        <source>中心报告：现行版本是中心的版本，另一版本是本机上传的并发修改，中心已另行保留。</source>
        <translation>Reported by the central office: the version in force is the office&apos;s; the other version is this laptop&apos;s concurrent edit, kept apart by the office.</translation>
    </message>
    <message>
        <source>本机发现</source>
        <translation>found here</translation>
    </message>
    <message>
        <source>中心报告</source>
        <translation>reported by the office</translation>
    </message>
    <message>
        <source>冲突 #{id}：{record}（案件 {case}）</source>
        <translation>Conflict #{id}: {record} (case {case})</translation>
    </message>
    <message>
        <source>原因：{reason}&#x3000;（发现于 {found_at}）</source>
        <translation>Reason: {reason}  (found {found_at})</translation>
    </message>
    <message>
        <source>由本案组长处理：{leaders}</source>
        <translation>Settled by the case&apos;s team leader: {leaders}</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>现行版本</source>
        <translation>Version in force</translation>
    </message>
    <message>
        <source>另一版本</source>
        <translation>Other version</translation>
    </message>
    <message>
        <source>两个版本逐字段对照</source>
        <translation>Both versions, field by field</translation>
    </message>
    <message>
        <source>两个版本此字段不同</source>
        <translation>the two versions differ here</translation>
    </message>
    <message>
        <source>（无此版本）</source>
        <translation>(no such version)</translation>
    </message>
    <message>
        <source>保留现行版本(&amp;K)</source>
        <translation>&amp;Keep the version in force</translation>
    </message>
    <message>
        <source>采用另一版本(&amp;T)</source>
        <translation>&amp;Take the other version</translation>
    </message>
    <message>
        <source>只读：处理冲突需要本案组长登录（主窗口：文件 → 登录/切换审查员）。</source>
        <translation>Read-only: the case&apos;s team leader must sign in to settle a conflict (main window: File → Sign in / switch reviewer).</translation>
    </message>
    <message>
        <source>冲突 #{id} 已处理：已保存{record}的新版本，下次同步时上传。</source>
        <translation>Conflict #{id} settled: a new version ({record}) is stored and goes up with the next sync.</translation>
    </message>
    <message>
        <source>未处理：{message}</source>
        <translation>Not settled: {message}</translation>
    </message>
    <message>
        <source>已于 {at} 处理，新版本 {version}。</source>
        <translation>Settled on {at}; new version {version}.</translation>
    </message>
    <message>
        <source>证据照片</source>
        <translation>Evidence photos</translation>
    </message>
    <message>
        <source>封条照片</source>
        <translation>Seal photo</translation>
    </message>
    <message>
        <source>核查人</source>
        <translation>Assessed by</translation>
    </message>
    <message>
        <source>核查时间</source>
        <translation>Assessed at</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>切换语言会重建窗口，请先完成或关闭：{what}。没有保存任何设置。</source>
        <translation>Switching the language rebuilds the windows. First finish or close: {what}. No setting was saved.</translation>
    </message>
    <message>
        <source>“{window}”中的“{dialog}”</source>
        <translation>“{dialog}” in “{window}”</translation>
    </message>
    <message>
        <source>后台任务（同步、导入、照片、文书）完成后即切换语言……</source>
        <translation>The language will switch once the background work (sync, import, photos, documents) has finished…</translation>
    </message>
    <message>
        <source>界面已切换为中文。</source>
        <translation>The interface is now in English.</translation>
    </message>
    <message>
        <source>语言未切换：{what}。完成后请在设置中再次选择语言。</source>
        <translation>The language was not switched: {what}. When done, choose the language again in the settings.</translation>
    </message>
    <message>
        <source>“{window}”中尚未保存的输入（{fields}）</source>
        <translation>input not yet saved in “{window}” ({fields})</translation>
    </message>
    <message>
        <source>{count} 项收到的记录暂未应用（原因见提示）</source>
        <translation>{count} received records not applied yet (see the tooltip for why)</translation>
    </message>
    <message>
        <source>中心因违反规则拒收了本机的版本（原因见上）。原样保留只会再次被拒收，因此不能保留本机版本：请采用中心的版本，或在案件中改正该记录（改正时本机重新检查规则，改正后的版本在下次同步时上传并了结此冲突）。</source>
        <translation>The central office refused this laptop&apos;s version because it breaks a rule (see the reason above). Kept as it is, it would only be refused again, so it cannot be kept: take the office&apos;s version, or correct the record in the case (the rules are checked again here; the corrected version goes up at the next sync and settles this conflict).</translation>
    </message>
    <message>
        <source>中心因违反规则拒收了本机的版本（原因见上），且中心没有该记录的版本：请在案件中改正该记录（改正时本机重新检查规则，改正后的版本在下次同步时上传并了结此冲突）。</source>
        <translation>The central office refused this laptop&apos;s version because it breaks a rule (see the reason above), and it holds no version of the record: correct the record in the case (the rules are checked again here; the corrected version goes up at the next sync and settles this conflict).</translation>
    </message>
    <message>
        <source>采用中心的版本(&amp;O)</source>
        <translation>Take the &amp;office&apos;s version</translation>
    </message>
    <message>
        <source>（已撤回）</source>
        <translation> (withdrawn)</translation>
    </message>
    <message>
        <source>，暂存 {count} 项（案件已撤回）</source>
        <translation>, {count} held (case withdrawn)</translation>
    </message>
    <message>
        <source>，暂存 {count} 项（审查员名录由中心维护）</source>
        <translation>, {count} held (the registry is kept by the central office)</translation>
    </message>
    <message>
        <source>企业反馈表</source>
        <translation>Enterprise feedback form (blank)</translation>
    </message>
    <message>
        <source>生产许可证实地核查案卷</source>
        <translation>The whole case file</translation>
    </message>
    <message>
        <source>{application_no} {enterprise}</source>
        <translation>{application_no} {enterprise}</translation>
    </message>
    <message>
        <source>{application_no}&#x3000;{enterprise}&#x3000;{product_unit}&#x3000;状态：{status}</source>
        <translation>{application_no}   {enterprise}   {product_unit}   Status: {status}</translation>
    </message>
    <message>
        <source>实地核查期限：{deadline}（受理日 {accepted}）</source>
        <translation>On-site deadline: {deadline} (accepted {accepted})</translation>
    </message>
    <message>
        <source>无提醒</source>
        <translation>No alerts</translation>
    </message>
    <message>
        <source>企业与申请</source>
        <translation>Enterprise and application</translation>
    </message>
    <message>
        <source>审查组</source>
        <translation>Review team</translation>
    </message>
    <message>
        <source>反馈表</source>
        <translation>Feedback form</translation>
    </message>
    <message>
        <source>抽样封样</source>
        <translation>Sampling and sealing</translation>
    </message>
    <message>
        <source>企业意见</source>
        <translation>Enterprise&apos;s opinion</translation>
    </message>
    <message>
        <source>签字</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>done</translation>
    </message>
    <message>
        <source>暂不能进行</source>
        <translation>blocked</translation>
    </message>
    <message>
        <source>待办</source>
        <translation>to do</translation>
    </message>
    <message>
        <source>案件步骤</source>
        <translation>Case steps</translation>
    </message>
    <message>
        <source>{step}：{state}</source>
        <translation>{step}: {state}</translation>
    </message>
    <message>
        <source>此步骤的页面尚未完成，这里只显示它的状态。</source>
        <translation>This step&apos;s page is not built yet; only its state is shown here.</translation>
    </message>
    <message>
        <source>关闭(&amp;C)</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>核查项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>核查项目列表</source>
        <translation>Checklist items</translation>
    </message>
    <message>
        <source>未核查</source>
        <translation>No result</translation>
    </message>
    <message>
        <source>【否决项】</source>
        <translation>[veto] </translation>
    </message>
    <message>
        <source>全部项目</source>
        <translation>All items</translation>
    </message>
    <message>
        <source>未核查的</source>
        <translation>Unanswered</translation>
    </message>
    <message>
        <source>不符合/基本符合</source>
        <translation>Nonconforming / minor</translation>
    </message>
    <message>
        <source>我记录的</source>
        <translation>Recorded by me</translation>
    </message>
    <message>
        <source>筛选核查项目</source>
        <translation>Filter checklist items</translation>
    </message>
    <message>
        <source>转到项目编号（Ctrl+G）</source>
        <translation>Go to item code (Ctrl+G)</translation>
    </message>
    <message>
        <source>核查表中没有项目 {code}。</source>
        <translation>The checklist has no item {code}.</translation>
    </message>
    <message>
        <source>下一未核查项(&amp;N)</source>
        <translation>&amp;Next unanswered</translation>
    </message>
    <message>
        <source>所有项目都已核查。</source>
        <translation>Every item has a result.</translation>
    </message>
    <message>
        <source>已核查 {recorded} / {total} 项</source>
        <translation>{recorded} of {total} items recorded</translation>
    </message>
    <message>
        <source>当前结论：{verdict}</source>
        <translation>Verdict so far: {verdict}</translation>
    </message>
    <message>
        <source>第 {code} 项</source>
        <translation>Item {code}</translation>
    </message>
    <message>
        <source>核查内容：</source>
        <translation>Requirement:</translation>
    </message>
    <message>
        <source>核查方法：</source>
        <translation>Guidance:</translation>
    </message>
    <message>
        <source>依据条款：</source>
        <translation>Clause:</translation>
    </message>
    <message>
        <source>{key} {result}</source>
        <translation>{key} {result}</translation>
    </message>
    <message>
        <source>说明：</source>
        <translation>Note:</translation>
    </message>
    <message>
        <source>核查说明</source>
        <translation>Note on the item</translation>
    </message>
    <message>
        <source>判为「{result}」须附：{what}</source>
        <translation>“{result}” needs: {what}</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>a note</translation>
    </message>
    <message>
        <source>照片</source>
        <translation>a photo</translation>
    </message>
    <message>
        <source>添加照片(&amp;P)…</source>
        <translation>Add &amp;photo…</translation>
    </message>
    <message>
        <source>照片 {count} 张</source>
        <translation>{count} photo(s)</translation>
    </message>
    <message>
        <source>添加照片</source>
        <translation>Add a photo</translation>
    </message>
    <message>
        <source>图片 (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>评定人：{name}（{unit}），{at}</source>
        <translation>Assessed by {name} ({unit}), {at}</translation>
    </message>
    <message>
        <source>已保存第 {code} 项：{result}</source>
        <translation>Saved item {code}: {result}</translation>
    </message>
    <message>
        <source>只读：记录核查结果需要登录的审查员（主窗口：文件 → 登录/切换审查员）。</source>
        <translation>Read-only: recording results needs a signed-in reviewer (main window: File → Sign in / switch reviewer).</translation>
    </message>
    <message>
        <source>只读：{reason}</source>
        <translation>Read-only: {reason}</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>正在保存：尚未确认已写到磁盘</source>
        <translation>Saving: not yet confirmed on disk</translation>
    </message>
    <message>
        <source>第 {code} 项已写入，但磁盘未确认（{error}），断电可能丢失：请检查磁盘后再记录一次。</source>
        <translation>Item {code} was written but the disk did not confirm it ({error}); a power cut could lose it: check the disk, then record it again.</translation>
    </message>
    <message>
        <source>照片尚未同步到本机（{sha}…）：同步后即可查看。</source>
        <translation>This photo has not been synced to this computer yet ({sha}…): it appears after a sync.</translation>
    </message>
    <message>
        <source>待同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>收到附件 {down} 个；尚未传到中心、下次同步再取 {not_yet} 个；内容校验不符未保存 {refused} 个</source>
        <translation>Attachments received: {down}; not at the office yet, fetched at a later sync: {not_yet}; content did not match, not kept: {refused}</translation>
    </message>
    <message>
        <source>收到附件 {down} 个</source>
        <translation>{down} attachment(s) received</translation>
    </message>
</context>
</TS>
