package io.sluice.cli;
