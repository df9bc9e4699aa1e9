namespace Linli.Accounts;

/// <summary>
/// What a password must be: at least 10 characters, not the user name, not one character repeated, and not one of the
/// passwords people use most (and that attackers try first), the demo's own among them.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 10;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "linli-demo", "1234567890", "12345678910", "123456789a", "a123456789", "qwertyuiop", "1q2w3e4r5t",
        "1qaz2wsx3edc", "password", "password1", "password123", "passw0rd", "p@ssw0rd", "p@ssword1", "iloveyou",
        "woaini1314", "woaini520", "5201314520", "1314520520", "abc1234567", "abcd123456", "abcdefghij", "qwerty1234",
        "zxcvbnm123", "asdfghjkl1", "1234qwer", "qwer1234qwer", "admin12345", "admin@123", "administrator",
        "root123456", "welcome123", "letmein123", "0123456789", "9876543210", "1122334455", "1212121212",
        "1357924680", "a1b2c3d4e5", "aa123456789", "88888888888", "changeme123", "temp123456", "default123",
        "wuye123456", "linli123456", "linli12345", "123456789abc",
    };

    /// <returns>Null when <paramref name="password"/> will do; otherwise why not, in Chinese and English.</returns>
    public static string? Problem(string? password, string userName)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
            return $"密码至少 {MinimumLength} 位。 A password has at least {MinimumLength} characters.";
        if (password.Length > 128) return "密码最多 128 位。 A password has at most 128 characters.";
        var isName = string.Equals(password, userName, StringComparison.OrdinalIgnoreCase);
        var holdsName = userName.Length >= 4 && password.Contains(userName, StringComparison.OrdinalIgnoreCase);
        if (isName || holdsName)
            return "密码不能包含用户名。 A password may not contain the user name.";
        if (password.Distinct().Count() <= 2) return "密码太简单了。 That password is too simple.";
        if (Common.Contains(password))
            return "这是很常见的密码，请换一个。 "
                + "That is one of the most common passwords; choose another.";
        return null;
    }
}
