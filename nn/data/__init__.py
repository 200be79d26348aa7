"""nn.data: datasets and batching, as ``torch.utils.data``, plus datasets that need no
network: the shipped handwritten digits, an IDX (MNIST-format) reader, synthetic sets."""

from .dataloader import BatchSampler, DataLoader, RandomSampler, SequentialSampler, default_collate
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .distributed_sampler import DistributedSampler
from .digits import digits_dataset, load_digits
from .idx import IDXError, load_idx_dir, read_idx, write_idx
from .synthetic import adding_problem, moons, sine_sequences, spirals, xor
