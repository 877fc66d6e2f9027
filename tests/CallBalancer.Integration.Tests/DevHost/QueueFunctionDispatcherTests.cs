using CallBalancer.Core.Balancing;
using CallBalancer.DevHost;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Integration.Tests.DevHost;

/// <summary>
/// The dev host's queue-trigger dispatch on Azurite's Queue service: the Rebalance timer fans out, the RebalanceWorker
/// function is fed its work items the way the Functions host does, and a message that keeps failing ends in the poison queue.
/// </summary>
public sealed class QueueFunctionDispatcherTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Fact]
    public async Task The_timer_fans_out_and_the_dispatched_workers_decide_every_queue()
    {
        await using var queueService = await AzuriteLauncher.StartQueueServiceAsync();
        var app = DevHostApplication.Build(
            [$"--CallBalancer:Storage:TablePrefix={Prefix}", "--CallBalancer:DevHost:RunTriggers=false",
             "--CallBalancer:Rebalance:WorkQueueName=work", "--CallBalancer:Rebalance:QueuesPerWorkItem=2", "--REBALANCE_WORK_QUEUE=work"],
            $"{Azurite.ConnectionString}QueueEndpoint={queueService.Endpoint};",
            b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
        await using (app)
        {
            for (var q = 0; q < 5; q++)
            {
                await Snapshots.SaveLatestAsync(QuietSnapshot($"w{q}", 4));
            }

            var functions = app.Services.GetRequiredService<IReadOnlyList<FunctionEntry>>();
            var dispatcher = Assert.Single(QueueFunctionDispatcher.ForConfiguredQueues(functions, app.Configuration, app.Services, app.Services.GetRequiredService<ILoggerFactory>()));
            Assert.Equal("work", dispatcher.Queue.Name);

            await FunctionInvoker.InvokeTimerAsync(functions.Single(f => f.Name == "Rebalance"), app.Services, new TimerInfo(), CancellationToken.None);
            Assert.Empty(await Modes.GetQueueModesAsync("w0"));
            Assert.Equal(3, (int)(await dispatcher.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

            Assert.Equal(3, await dispatcher.DrainAsync());
            for (var q = 0; q < 5; q++)
            {
                Assert.Equal(2, (await Modes.GetQueueModesAsync($"w{q}")).Count(m => m.State.Mode == AgentMode.CrossSell));
            }

            Assert.Equal(0, (int)(await dispatcher.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        }
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_retried_then_moved_to_the_poison_queue()
    {
        await using var queueService = await AzuriteLauncher.StartQueueServiceAsync();
        var options = new Azure.Storage.Queues.QueueClientOptions(Azure.Storage.Queues.QueueClientOptions.ServiceVersion.V2024_11_04)
        {
            MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64,
        };
        var queue = new Azure.Storage.Queues.QueueClient(queueService.ConnectionString, "failing", options);
        var poison = new Azure.Storage.Queues.QueueClient(queueService.ConnectionString, "failing-poison", options);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("boom");
        await queue.SendMessageAsync("fine");

        var function = new FunctionEntry("Failing", typeof(FailingQueueFunction), typeof(FailingQueueFunction).GetMethod(nameof(FailingQueueFunction.RunAsync))!,
            null, null, new QueueTriggerAttribute("failing"));
        var services = new ServiceCollection().AddSingleton<FailingQueueFunction.Calls>().BuildServiceProvider();
        var dispatcher = new QueueFunctionDispatcher(function, queue, poison, services, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        // "fine" once, then "boom" on each of its five dequeues; the sixth receive finds the queue empty.
        Assert.Equal(1 + QueueFunctionDispatcher.MaxDequeueCount, await dispatcher.DrainAsync());
        var calls = services.GetRequiredService<FailingQueueFunction.Calls>();
        Assert.Equal(QueueFunctionDispatcher.MaxDequeueCount, calls.Count("boom"));
        Assert.Equal(1, calls.Count("fine"));
        Assert.Empty((await queue.ReceiveMessagesAsync(16)).Value);
        var poisoned = Assert.Single((await poison.ReceiveMessagesAsync(16)).Value);
        Assert.Equal("boom", poisoned.Body.ToString());
    }

    [Fact]
    public void The_dev_host_polls_and_retries_as_host_json_configures_the_Functions_host()
    {
        var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteLauncher.RepositoryRoot(), "host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(QueueFunctionListener.MaxPollingInterval, TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(QueueFunctionDispatcher.BatchSize, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(QueueFunctionDispatcher.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
    }

    /// <summary>A queue function that throws on the message "boom".</summary>
    internal sealed class FailingQueueFunction(FailingQueueFunction.Calls calls)
    {
        [Function("Failing")]
        public Task RunAsync([QueueTrigger("failing")] string message, CancellationToken cancellationToken = default)
        {
            calls.Add(message);
            return message == "boom" ? Task.FromException(new InvalidOperationException("boom")) : Task.CompletedTask;
        }

        internal sealed class Calls
        {
            private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

            public void Add(string message) => _messages.Enqueue(message);

            public int Count(string message) => _messages.Count(m => m == message);
        }
    }
}
