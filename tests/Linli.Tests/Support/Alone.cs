namespace Linli.Tests.Support;

/// <summary>
/// Tests that read process-wide state (a meter's measurements) run alone, after the others, so that what they read
/// is only their own doing.
/// </summary>
[CollectionDefinition(nameof(Alone), DisableParallelization = true)]
public sealed class Alone;
