using Linli.Accounts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace Linli.Hosting;

/// <summary>
/// A rule a request broke, thrown by a service and said to the caller once, wherever it was thrown: as problem+json
/// over HTTP (<see cref="DomainProblemHandler"/>) and as a HubException on the hubs
/// (<see cref="DomainProblemHubFilter"/>), in the caller's language. It carries the key of its words in
/// dialogs/problems.yaml (<see cref="ProblemCatalog"/>) and their named values, never the words themselves.
/// Endpoints and hub methods stay a line or two, and the rule stays beside the code that knows it.
/// </summary>
public sealed class DomainProblem(int status, string key, object? values = null, string? fieldName = null)
    : Exception(Said(key, values, fieldName, ProblemCatalog.English).Detail)
{
    public int Status => status;
    public string Key => key;

    /// <summary>The request field at fault, when one is (answered as a validation problem naming it).</summary>
    public string? Field => fieldName;

    /// <summary>Members added to the problem+json beside title and detail (e.g. the version a ticket is at).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>The English title (logs, and callers that read it in code).</summary>
    public string Title => Said(key, values, fieldName, ProblemCatalog.English).Title;

    public static DomainProblem Bad(string key, object? values = null, string? field = null) =>
        new(400, key, values, field);
    public static DomainProblem Forbidden(string key, object? values = null) => new(403, key, values);
    public static DomainProblem NotFound(string key, object? values = null) => new(404, key, values);
    public static DomainProblem Conflict(string key, object? values = null) => new(409, key, values);

    /// <summary>The title and detail in <paramref name="language"/> (<see cref="ProblemLanguage"/>).</summary>
    public (string Title, string Detail) In(string language) => Said(key, values, fieldName, language);

    public ProblemDetails ToProblemDetails(string language = ProblemCatalog.English)
    {
        var (title, detail) = In(language);
        var details = Field is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Field] = [detail] });
        details.Status = Status;
        details.Title = title;
        details.Detail = detail.Length > 0 ? detail : null;
        foreach (var (name, value) in Extensions ?? new Dictionary<string, object?>()) details.Extensions[name] = value;
        return details;
    }

    /// <summary>
    /// The answer to a request outside any endpoint (a middleware), in the language it asks for; endpoints throw.
    /// </summary>
    public IResult ToResult(HttpContext http)
    {
        var language = ProblemLanguage.FromAcceptLanguage(http.Request.Headers.AcceptLanguage);
        http.Response.Headers.ContentLanguage = language;
        return TypedResults.Problem(ToProblemDetails(language));
    }

    /// <summary>The field at fault is a value too: "Invalid {field}".</summary>
    private static (string Title, string Detail) Said(string key, object? values, string? field, string language)
    {
        var named = ProblemCatalog.ValuesOf(values);
        if (field is not null) named.TryAdd("field", field);
        return ProblemCatalog.Default.Render(key, named, language);
    }
}

/// <summary>
/// Every <see cref="DomainProblem"/> that leaves an endpoint becomes its problem+json answer, in the language the
/// request's Accept-Language prefers (Chinese or English), said in Content-Language.
/// </summary>
internal sealed class DomainProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception,
        CancellationToken cancellationToken)
    {
        if (exception is not DomainProblem problem) return false;
        var language = ProblemLanguage.FromAcceptLanguage(http.Request.Headers.AcceptLanguage);
        http.Response.StatusCode = problem.Status;
        http.Response.Headers.ContentLanguage = language;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem.ToProblemDetails(language),
            Exception = exception,
        });
    }
}

/// <summary>
/// A <see cref="DomainProblem"/> thrown in a hub method reaches the page as its detail, a sentence it can show,
/// in the language the connection's own request asked for.
/// </summary>
public sealed class DomainProblemHubFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation,
        Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (DomainProblem problem)
        {
            var asked = invocation.Context.GetHttpContext()?.Request.Headers.AcceptLanguage.ToString();
            throw new HubException(problem.In(ProblemLanguage.FromAcceptLanguage(asked)).Detail);
        }
    }
}
