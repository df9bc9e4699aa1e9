namespace Linli.Tests.Support;

/// <summary>
/// Linli with a chat model configured: a fake OpenAI-compatible server on loopback (<see cref="FakeChatModel"/>) as
/// <c>ChatModel:Endpoint</c>, model "qwen-test". Test classes add settings of their own.
/// </summary>
public abstract class WithChatModel : IAsyncLifetime
{
    protected FakeChatModel Model { get; private set; } = null!;
    protected LinliAppFactory App { get; private set; } = null!;

    protected virtual Dictionary<string, string?> Settings => [];

    public async ValueTask InitializeAsync()
    {
        Model = await FakeChatModel.StartAsync();
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["ChatModel:Endpoint"] = Model.Endpoint, ["ChatModel:Model"] = "qwen-test",
        };
        App = new LinliAppFactory(settings);
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Model.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
