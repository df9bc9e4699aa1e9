namespace Linli.Seeding;

/// <summary>Plausible southern-Fujian names and mainland mobile numbers, drawn from a seeded <see cref="Random"/>.</summary>
internal sealed class ChineseNames(Random rng)
{
    // Weighted towards the surnames common in Quanzhou.
    private static readonly string[] Surnames =
        ["陈", "陈", "陈", "林", "林", "林", "黄", "黄", "张", "吴", "吴", "王", "李", "刘", "郑", "蔡", "蔡",
         "许", "洪", "庄", "庄", "苏", "杨", "施", "曾", "谢", "周", "颜", "傅", "粘", "柯", "潘"];

    private static readonly string[] GivenChars =
        ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
         "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "文", "辉", "玲", "婷", "雪", "海", "鸿", "晓", "燕",
         "清", "泉", "榕", "荣", "金", "福", "春", "阿", "雅", "琪", "思", "宇", "浩", "鑫"];

    private static readonly string[] MobilePrefixes =
        ["138", "139", "135", "136", "137", "158", "159", "188", "187", "150", "151", "152", "186", "185", "177", "180", "189", "199"];

    // The demo resident's published number is never handed to anyone else.
    private readonly HashSet<string> _phones = [DemoPeople.DemoResidentPhone];

    public string Name(string? surname = null)
    {
        var given = GivenChars[rng.Next(GivenChars.Length)];
        if (rng.Next(3) > 0) given += GivenChars[rng.Next(GivenChars.Length)];
        return (surname ?? Surname()) + given;
    }

    public string Surname() => Surnames[rng.Next(Surnames.Length)];

    public string Phone()
    {
        while (true)
        {
            var phone = MobilePrefixes[rng.Next(MobilePrefixes.Length)] + rng.Next(0, 100_000_000).ToString("D8");
            if (_phones.Add(phone)) return phone;
        }
    }
}
