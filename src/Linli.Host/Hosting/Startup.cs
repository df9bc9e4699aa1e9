namespace Linli.Hosting;

public static class Startup
{
    /// <summary>Runs the app; a start-up failure a person can fix is printed as one plain sentence and exit code 2.</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            // Open the database before the host starts, so a locked file or a bad setting fails here, plainly,
            // rather than as a hosting failure with a stack trace.
            foreach (var open in app.Services.GetServices<OpenBeforeStart>()) open.Open(app.Services);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Find<StartupProblem>(ex) is { } inUse)
        {
            Console.Error.WriteLine($"Linli cannot start: {inUse.Message}");
            return 2;
        }
        catch (Exception ex) when (Find<Microsoft.Extensions.Options.OptionsValidationException>(ex) is { } invalid)
        {
            Console.Error.WriteLine($"Linli cannot start: configuration is invalid: {string.Join(" ", invalid.Failures)}");
            return 2;
        }
    }

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found) return found;
            if (ex is AggregateException agg && agg.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null) is { } inner) return inner;
        }
        return null;
    }
}

/// <summary>A start-up failure a person can fix (a database file in use): said as its message alone.</summary>
public class StartupProblem(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// What must open before the host starts (the database and its lock), registered by the module that owns it, so
/// that its failure is a <see cref="StartupProblem"/> said plainly.
/// </summary>
public sealed record OpenBeforeStart(Action<IServiceProvider> Open);
