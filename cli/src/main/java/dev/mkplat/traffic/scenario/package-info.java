/**
 * What {@code mkplat traffic} sends: a {@link dev.mkplat.traffic.scenario.Scenario} is a weighted
 * mix of actions, each a short chain of requests against named targets, plus an optional pool of
 * virtual users that run setup steps once (register, log in) before the load starts. Built-in
 * scenarios come from {@link dev.mkplat.traffic.scenario.BuiltInScenarios}; others are YAML files
 * read by {@link dev.mkplat.traffic.scenario.ScenarioFile}.
 */
package dev.mkplat.traffic.scenario;
