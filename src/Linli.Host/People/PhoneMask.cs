namespace Linli.People;

/// <summary>Phone numbers leave the server only masked: 138****5678.</summary>
public static class PhoneMask
{
    public static string Mask(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return "";
        var digits = phone.Trim();
        if (digits.Length <= 4) return new string('*', digits.Length);
        if (digits.Length < 8) return new string('*', digits.Length - 4) + digits[^4..];
        return digits[..3] + new string('*', digits.Length - 7) + digits[^4..];
    }
}

/// <summary>A person's name where others read it and need no more than who it roughly is: 李**.</summary>
public static class NameMask
{
    public static string Mask(string? name) =>
        string.IsNullOrEmpty(name) ? "" : name.Length == 1 ? name : name[0] + new string('*', Math.Min(name.Length - 1, 2));
}
