namespace Linli.People;

/// <summary>A person's name where the person should stay unidentified: the surname only, "李**".</summary>
public static class NameMask
{
    public static string Mask(string? name) =>
        string.IsNullOrEmpty(name) || name.Length == 1
            ? name ?? ""
            : name[0] + new string('*', Math.Min(name.Length - 1, 2));
}
