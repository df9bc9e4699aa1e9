using System.Collections.Frozen;

namespace Linli.Understanding;

/// <summary>
/// Traditional → simplified for the characters residents use about their homes, fees and neighbours
/// (a closed, reviewed table; not a general converter).
/// </summary>
public static class ChineseScript
{
    private const string Traditional =
        "電燈壞樓棟單門鎖報維護費繳紀錄錢帳單據號碼淨氣閘鄰噪聲垃圾處理務員態飛險災難滅漏斷線亂衝廣場舞總數會議論討參與議題發帖"
        + "調解糾紛開關問題麼嗎請幫還沒這個們裡後來過時點麵說話轉該應讓議員義務錯誤對當車庫車位停場龍頭馬桶積層築專項餘額攤銷"
        + "隱患滲給熱暖醫療傷處罰實際錄製視頻圖書館園區區域歲老幼兒童懷孕殘疾爭執鬧聽見聞風險閱讀讀寫寫體驗驗證碼證書種樹澆陽臺臺風颱"
        + "業帳審計權應該愛護環境衛生藥櫃營業執照燒煙霧警報響聲擾亂嚴重厲害緊急聯繫繫統統計劃劃線頂層測試較進貨運輸輛機構機動"
        + "牆磚剝詢訴廳歡蓋戶滿雜蟲遛狗樣筆記憶體燈級濕黴絡綠劑損壞稅";
    private const string Simplified =
        "电灯坏楼栋单门锁报维护费缴纪录钱帐单据号码净气闸邻噪声垃圾处理务员态飞险灾难灭漏断线乱冲广场舞总数会议论讨参与议题发帖"
        + "调解纠纷开关问题么吗请帮还没这个们里后来过时点面说话转该应让议员义务错误对当车库车位停场龙头马桶积层筑专项余额摊销"
        + "隐患渗给热暖医疗伤处罚实际录制视频图书馆园区区域岁老幼儿童怀孕残疾争执闹听见闻风险阅读读写写体验验证码证书种树浇阳台台风台"
        + "业帐审计权应该爱护环境卫生药柜营业执照烧烟雾警报响声扰乱严重厉害紧急联系系统统计划划线顶层测试较进货运输辆机构机动"
        + "墙砖剥询诉厅欢盖户满杂虫遛狗样笔记忆体灯级湿霉络绿剂损坏税";

    private static readonly FrozenDictionary<char, char> Map = BuildMap();

    public static string ToSimplified(string text)
    {
        if (!text.Any(Map.ContainsKey)) return text;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = Map.GetValueOrDefault(source[i], source[i]);
        });
    }

    private static FrozenDictionary<char, char> BuildMap()
    {
        if (Traditional.Length != Simplified.Length) throw new InvalidOperationException("The character tables differ in length.");
        var map = new Dictionary<char, char>();
        for (var i = 0; i < Traditional.Length; i++)
            if (Traditional[i] != Simplified[i]) map[Traditional[i]] = Simplified[i];
        return map.ToFrozenDictionary();
    }
}
