// tinydiff: the command line. One subcommand per file: train.cpp (what the
// reference `python ddpm.py` does), ablate.cpp, memorise.cpp, sample_eval.cpp, reflow.cpp, animate.cpp
// (model_options.cpp holds what the last three share); this file
// only builds the app, dispatches and turns errors into exit codes.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "ablate.hpp"
#include "memorise.hpp"
#include "reflow.hpp"
#include "animate.hpp"
#include "sample_eval.hpp"
#include "train.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/model_file.hpp"

using namespace tinydiff;

namespace {

// Runs a command; its errors are printed and become the exit code: 2 for
// bad input (flags, files, model files), 1 for anything else.
template <typename Command>
int exit_code_of(Command&& command) {
  try {
    return command();
  } catch (const ModelFileError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const IoError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tinydiff: a tiny DDPM that learns 2D point clouds (a C++ port of tiny-diffusion).\n"
      "Run `tinydiff COMMAND --help` for the options of train, ablate, memorise, sample, eval, reflow and animate."};
  app.require_subcommand(1);
  // One options object per subcommand: the flags bind to their fields.
  cli::TrainOptions train_options;
  CLI::App* train = app.add_subcommand(
      "train",
      "Train a model as the reference `python ddpm.py` does; writes OUT_DIR/NAME/ with\n"
      "model.safetensors, loss.npy (one float32 per step), frames.npy ([frames, eval_batch_size, 2]),\n"
      "scores.csv and images/NNNN.png");
  cli::add_train_options(*train, train_options);

  cli::AblateOptions ablate_options;
  CLI::App* ablate = app.add_subcommand(
      "ablate",
      "Sweep one hyperparameter as the reference's ablations do: trains one model per value (side by\n"
      "side on every core) and writes OUT_DIR/SWEEP/ with grid.svg and grid.png (rows: values, columns:\n"
      "checkpoint epochs, 1000 samples each) and scores.csv / scores.md (the quality score of every cell)");
  cli::add_ablate_options(*ablate, ablate_options);

  cli::MemoriseOptions memorise_options;
  CLI::App* memorise = app.add_subcommand(
      "memorise",
      "When does a model start copying its training points? Trains one model per training-set size\n"
      "(side by side), evaluates at log-spaced steps the share of samples that copy a training point\n"
      "next to its base rate, the distance to fresh test points and the train/test losses; prints\n"
      "tau_gen and tau_mem per size and the log-log slope of tau_mem against n; writes OUT_DIR/ with\n"
      "memorise.csv, summary.json and copy_share.svg (docs/memorisation.md)");
  cli::add_memorise_options(*memorise, memorise_options);

  cli::SampleCommand sample_command;
  CLI::App* sample = app.add_subcommand("sample", "Sample points from a model file; writes .csv or .npy");
  cli::add_sample_options(*sample, sample_command);

  cli::EvalCommand eval_command;
  CLI::App* eval = app.add_subcommand(
      "eval", "Score a model's samples against a dataset (Chamfer distance, precision, coverage)");
  cli::add_eval_options(*eval, eval_command);

  cli::ReflowCommand reflow_command;
  CLI::App* reflow = app.add_subcommand(
      "reflow",
      "Straighten a flow model (rectified flow): draws --pairs of noise and where the model's ODE takes it,\n"
      "trains a copy of the model on those fixed pairs, writes it to --out, and compares the two at 1, 2, 4\n"
      "and 100 Euler steps (W2 to the data) and in straightness");
  cli::add_reflow_options(*reflow, reflow_command);

  cli::AnimateCommand animate_command;
  CLI::App* animate = app.add_subcommand(
      "animate", "The forward or reverse diffusion of a model file as an animated GIF (one frame a step)");
  cli::add_animate_options(*animate, animate_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code_of([&] {
    if (train->parsed()) {
      cli::resolve_config(*train, train_options);
      return cli::run_train(train_options);
    }
    if (ablate->parsed()) return cli::run_ablate(ablate_options);
    if (reflow->parsed()) return cli::run_reflow(reflow_command);
    if (memorise->parsed()) {
      cli::resolve_memorise_config(*memorise, memorise_options);
      return cli::run_memorise(memorise_options);
    }
    if (sample->parsed()) return cli::run_sample(sample_command);
    if (eval->parsed()) return cli::run_eval(eval_command);
    return cli::run_animate(animate_command);
  });
}
