/**
 * The {@code dynamo} command. {@link io.dynamo.cli.Main} wires picocli, exit codes and error
 * lines; every command is one class, registered as a subcommand of its parent ({@link
 * io.dynamo.cli.DynamoCommand} at the top, groups such as {@code sim} below it).
 */
package io.dynamo.cli;
