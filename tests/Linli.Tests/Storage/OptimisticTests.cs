using Linli.Hosting;
using Linli.Storage;

namespace Linli.Tests.Storage;

public sealed class OptimisticTests
{
    private static DomainProblem Busy() => DomainProblem.Conflict("tea.changed_meanwhile");

    [Fact]
    public void AnAttemptThatLosesRunsAgainUntilItsWriteLands()
    {
        var tries = 0;
        var result = Optimistic.Retry<string>(() => ++tries < 3 ? Optimistic.Lost : $"landed on try {tries}", Busy);

        Assert.Equal("landed on try 3", result);
        Assert.Equal(3, tries);
    }

    [Fact]
    public void NothingAndNullAreResultsNotLostRaces()
    {
        var tries = 0;
        var result = Optimistic.Retry<string?>(() =>
        {
            tries++;
            return null;
        }, Busy);

        Assert.Null(result);
        Assert.Equal(1, tries);
    }

    [Fact]
    public void TooManyLostRacesAreTheConflictGiven()
    {
        var tries = 0;
        var problem = Assert.Throws<DomainProblem>(() => Optimistic.Retry<int>(() =>
        {
            tries++;
            return Optimistic.Lost;
        }, Busy));

        Assert.Equal(Optimistic.Attempts, tries);
        Assert.Equal((409, "tea.changed_meanwhile", "Changed meanwhile"), (problem.Status, problem.Key, problem.Title));
    }

    [Fact]
    public void ARefusalEndsTheAttemptsAtOnce()
    {
        var tries = 0;
        var problem = Assert.Throws<DomainProblem>(() => Optimistic.Retry<int>(() =>
        {
            tries++;
            throw DomainProblem.NotFound("community.nothing_here", new { communityId = "x" });
        }, Busy));

        Assert.Equal((1, 404), (tries, problem.Status));
    }
}
