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
