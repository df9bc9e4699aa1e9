using System.Security.Claims;
using Linli.Accounts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace Linli.Hosting;

/// <summary>
/// A rule a request broke, thrown by a service and said to the caller once, wherever it was thrown: as problem+json
/// over HTTP (<see cref="DomainProblemHandler"/>) and as a HubException on the hubs
/// (<see cref="DomainProblemHubFilter"/>).
/// Endpoints and hub methods stay a line or two, and the rule stays beside the code that knows it.
/// </summary>
public sealed class DomainProblem(int status, string title, string detail, string? fieldName = null) : Exception(detail)
{
    public int Status => status;
    public string Title => title;

    /// <summary>The request field at fault, when one is (answered as a validation problem naming it).</summary>
    public string? Field => fieldName;

    public static DomainProblem Bad(string title, string detail, string? field = null) =>
        new(400, title, detail, field);
    public static DomainProblem Forbidden(string title, string detail) => new(403, title, detail);
    public static DomainProblem NotFound(string title, string detail) => new(404, title, detail);
    public static DomainProblem Conflict(string title, string detail) => new(409, title, detail);

    public ProblemDetails ToProblemDetails()
    {
        var details = Field is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Field] = [Message] });
        details.Status = Status;
        details.Title = Title;
        details.Detail = Message;
        return details;
    }
}

/// <summary>Every <see cref="DomainProblem"/> that leaves an endpoint becomes its problem+json answer.</summary>
internal sealed class DomainProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception,
        CancellationToken cancellationToken)
    {
        if (exception is not DomainProblem problem) return false;
        http.Response.StatusCode = problem.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem.ToProblemDetails(),
            Exception = exception,
        });
    }
}

/// <summary>For route groups that name it; <see cref="DomainProblemHandler"/> answers for every endpoint.</summary>
public sealed class ProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DomainProblem problem)
        {
            return TypedResults.Problem(problem.ToProblemDetails());
        }
    }
}

/// <summary>
/// A <see cref="DomainProblem"/> thrown in a hub method reaches the page as its detail, a sentence it can show.
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
            throw new HubException(problem.Message);
        }
    }
}
