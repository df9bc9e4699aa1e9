using Linli.People;

namespace Linli.Tests.Storage;

public class PhoneMaskTests
{
    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("059522881234", "059*****1234")]
    [InlineData("12345", "*2345")]
    [InlineData("1234", "****")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MasksAllButTheEnds(string? phone, string masked) => Assert.Equal(masked, PhoneMask.Mask(phone));
}
